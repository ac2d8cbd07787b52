package dev.codedeploy.agent.zk;

import dev.codedeploy.release.HostBuckets;
import dev.codedeploy.release.PeerAddress;
import java.util.Objects;

/**
 * Which peers a host takes, by zone, so that a region's cross-zone traffic is about one copy of a build per zone:
 *
 * <ul>
 *   <li>peers of the host's own zone first (hosts without a zone are all of one zone);</li>
 *   <li>a <em>bridge</em> also takes {@value #BRIDGE_PEERS} peers of other zones: the hosts of {@value #BRIDGE_BUCKETS}
 *       of the 256 buckets (about 1.6 % of a zone, a different set for each build), so that every zone is reached
 *       even when its zone has no seeder, through a few links rather than through every host;</li>
 *   <li>a host whose zone offers fewer peers than it wants (it has looked through every bucket), or that no peer has
 *       offered a piece for {@link PeerDiscovery#STARVING_AFTER} (its zone has nothing yet), fills up with peers of
 *       other zones.</li>
 * </ul>
 * Pure: the swarm simulation uses the same rules. The rack is reported with the zone but not preferred: a sample
 * drawn from one rack would split a zone's swarm into islands.
 */
public final class ZonePreference {

    /** Of the 256 buckets, how many bridge the zones for a given build. */
    public static final int BRIDGE_BUCKETS = 4;
    /** The peers of other zones a bridge keeps. */
    public static final int BRIDGE_PEERS = 2;

    private final String zone;
    private final boolean bridge;
    private final int maxPeers;

    /** The preference of {@code host} in {@code zone} (or null) for {@code buildId}, wanting {@code maxPeers} peers. */
    public ZonePreference(String host, String zone, long buildId, int maxPeers) {
        this.zone = zone;
        this.bridge = isBridge(host, buildId);
        this.maxPeers = maxPeers;
    }

    /** True when {@code host} bridges the zones for {@code buildId}. */
    public static boolean isBridge(String host, long buildId) {
        int first = (int) Math.floorMod(buildId * 0x9E3779B97F4A7C15L >>> 32, HostBuckets.COUNT);
        return Math.floorMod(HostBuckets.of(host) - first, HostBuckets.COUNT) < BRIDGE_BUCKETS;
    }

    /** True when {@code peer} is of this host's zone. */
    public boolean sameZone(PeerAddress peer) {
        return Objects.equals(zone, peer.zone());
    }

    /** True when this host bridges the zones for its build. */
    public boolean isBridge() {
        return bridge;
    }

    /**
     * How many peers of other zones to offer now.
     *
     * @param sameZone       peers of its zone known
     * @param zoneExhausted  every bucket was looked through
     * @param starving       no peer has offered a piece for a while
     */
    public int otherZoneSlots(int sameZone, boolean zoneExhausted, boolean starving) {
        int free = Math.max(0, maxPeers - sameZone);
        if (zoneExhausted || starving) {
            return free;
        }
        return bridge ? Math.min(BRIDGE_PEERS, maxPeers) : 0;
    }
}
