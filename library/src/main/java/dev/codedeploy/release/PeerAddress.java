package dev.codedeploy.release;

import dev.codedeploy.json.Json;
import java.util.List;

/**
 * Where a host serves builds to its peers, in its ephemeral node {@link ZkLayout#hostPeer(String, String)} (and, in the
 * previous layout, in {@link ZkLayout#legacyPeer(String, long, String)}, without zone, rack and builds).
 *
 * @param host    the host id
 * @param address its IP address as seen by its region's peers
 * @param port    its BitTorrent port
 * @param zone    its zone (availability zone or data hall), or null when not configured
 * @param rack    its rack, or null
 * @param builds  the builds it downloads or seeds now (null in an entry of the previous layout)
 */
public record PeerAddress(String host, String address, int port, String zone, String rack, List<Long> builds) {

    /** The most builds a peer node lists; more is not a host's doing (it seeds the current build and a few retired). */
    public static final int MAX_BUILDS = 16;

    public PeerAddress {
        builds = builds == null ? null : List.copyOf(builds);
    }

    /** An entry of the previous layout: no zone, rack or builds. */
    public PeerAddress(String host, String address, int port) {
        this(host, address, port, null, null, null);
    }

    /** True when this peer says it serves {@code buildId}. */
    public boolean serves(long buildId) {
        return builds != null && builds.contains(buildId);
    }

    /** The same peer serving {@code newBuilds}. */
    public PeerAddress withBuilds(List<Long> newBuilds) {
        return new PeerAddress(host, address, port, zone, rack, newBuilds);
    }

    /** The node's bytes. */
    public byte[] toBytes() {
        return Json.write(this);
    }

    /** Reads a node's bytes. */
    public static PeerAddress fromBytes(byte[] data, String where) {
        return Json.read(data, PeerAddress.class, where);
    }
}
