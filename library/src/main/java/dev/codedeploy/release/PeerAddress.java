package dev.codedeploy.release;

import dev.codedeploy.json.Json;

/**
 * Where a host seeds a build, in its ephemeral node {@link ZkLayout#peer(String, long, String)}.
 *
 * @param host    the host id
 * @param address its IP address as seen by its region's peers
 * @param port    its BitTorrent port
 */
public record PeerAddress(String host, String address, int port) {

    /** The node's bytes. */
    public byte[] toBytes() {
        return Json.write(this);
    }

    /** Reads a node's bytes. */
    public static PeerAddress fromBytes(byte[] data, String where) {
        return Json.read(data, PeerAddress.class, where);
    }
}
