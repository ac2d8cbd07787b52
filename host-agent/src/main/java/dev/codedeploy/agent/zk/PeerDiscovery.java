package dev.codedeploy.agent.zk;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.release.HostBuckets;
import dev.codedeploy.release.PeerAddress;
import dev.codedeploy.release.ZkLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a bounded random sample of the peers of one build, a few buckets at a time, never the whole swarm: what a host
 * costs its regional ZooKeeper does not grow with the fleet.
 *
 * <p>Each round (bt asks every {@code peerDiscoveryInterval} while the download is incomplete) lists buckets in an
 * order of the host's own (of those that exist: {@code hosts} is listed once per pass over them, 256 short names),
 * at most {@value #LISTINGS_PER_ROUND} of them and each a few hundred names, and reads at
 * most {@value #READS_PER_ROUND} peer nodes ({@code hosts/<bucket>/<host>/peer}) of hosts not known yet; names listed
 * and not read yet wait for the next round. A peer node says which builds the host serves and its zone; peers are
 * kept by {@link ZonePreference}. Once the host offers {@code maxPeers} peers it reads nothing until a refresh, every
 * {@link #REFRESH}, which reads at most {@value #READS_PER_REFRESH} new hosts: a peer found then replaces the oldest,
 * so that a host keeps finding new peers (those that joined later, those that finished and serve the whole build)
 * while old ones leave.
 *
 * <p>A peer node is under its host's enrolled node, which only that host can write: what it says about the host is
 * the host's own word. One that does not parse is skipped with a warning. While ZooKeeper is unreachable a round
 * reads nothing new and the sample stays.
 */
public final class PeerDiscovery {

    /** The most peer nodes a round reads. */
    public static final int READS_PER_ROUND = 24;
    /** The most buckets a round lists. */
    public static final int LISTINGS_PER_ROUND = 16;
    /** How often a host with a full sample looks for new peers. */
    public static final Duration REFRESH = Duration.ofSeconds(60);
    /** The most peer nodes a refresh reads. */
    public static final int READS_PER_REFRESH = 8;
    /** A download that no peer offered a piece for this long takes peers of other zones too. */
    public static final Duration STARVING_AFTER = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(PeerDiscovery.class);

    private final CuratorFramework zk;
    private final String environment;
    private final long buildId;
    private final String self;
    private final int maxPeers;
    private final ZonePreference preference;
    private final Clock clock;
    private final Instant started;
    private final List<String> bucketOrder = new ArrayList<>();
    private final Deque<String> candidates = new ArrayDeque<>();
    private final Map<String, PeerAddress> sameZone = new LinkedHashMap<>();
    private final Map<String, PeerAddress> otherZones = new LinkedHashMap<>();
    private final Stats stats = new Stats();
    private final Random random;
    private int nextBucket;
    private int lastOffered;
    private boolean exhausted;
    private Instant nextRefresh = Instant.MIN;

    /**
     * Discovery for {@code self} in {@code zone} (null: no zone) of the peers of {@code buildId}.
     *
     * @param random the order of buckets and names (seeded in tests)
     */
    public PeerDiscovery(CuratorFramework zk, String environment, long buildId, String self, String zone, int maxPeers, Clock clock,
                         RandomGenerator random) {
        this.zk = zk;
        this.environment = environment;
        this.buildId = buildId;
        this.self = self;
        this.maxPeers = maxPeers;
        this.preference = new ZonePreference(self, zone, buildId, maxPeers);
        this.clock = clock;
        this.started = clock.instant();
        this.random = new Random(random.nextLong());
    }

    /**
     * One round of discovery.
     *
     * @param offeredPieces whether any peer has offered a piece of the build yet
     * @return the peers to offer bt now: its zone's, and others' as {@link ZonePreference} allows
     */
    public synchronized List<PeerAddress> round(boolean offeredPieces) {
        Instant now = clock.instant();
        boolean full = lastOffered >= maxPeers;
        if ((!full || !now.isBefore(nextRefresh)) && zk.getZookeeperClient().isConnected()) {
            readSome(full);
            nextRefresh = now.plus(REFRESH);
        }
        boolean starving = !offeredPieces && !now.isBefore(started.plus(STARVING_AFTER));
        List<PeerAddress> offered = new ArrayList<>(sameZone.values());
        otherZones.values().stream().limit(preference.otherZoneSlots(sameZone.size(), exhausted, starving)).forEach(offered::add);
        lastOffered = offered.size();
        stats.sampleFull |= lastOffered >= maxPeers;
        return offered;
    }

    private void readSome(boolean full) {
        stats.rounds++;
        int budget = full ? READS_PER_REFRESH : READS_PER_ROUND;
        int reads = 0;
        int listings = 0;
        while (reads < budget) {
            if (candidates.isEmpty()) {
                if (listings == LISTINGS_PER_ROUND || !listNextBucket()) {
                    return;
                }
                listings++;
                continue;
            }
            String host = candidates.poll();
            if (host.equals(self) || sameZone.containsKey(host) || otherZones.containsKey(host)) {
                continue;
            }
            reads++;
            PeerAddress peer = read(host);
            if (peer != null && peer.serves(buildId)) {
                keep(host, peer, full);
            }
        }
    }

    /** Lists the next bucket of this host's order into the candidates; false when it cannot be listed now. */
    private boolean listNextBucket() {
        if (nextBucket == bucketOrder.size()) {
            exhausted |= !bucketOrder.isEmpty();
            if (!listBuckets()) {
                return false;
            }
        }
        String bucket = ZkLayout.hosts(environment) + "/" + bucketOrder.get(nextBucket++);
        try {
            List<String> names = new ArrayList<>(zk.getChildren().forPath(bucket));
            stats.listings++;
            stats.namesListed += names.size();
            stats.largestListing = Math.max(stats.largestListing, names.size());
            Collections.shuffle(names, random);
            candidates.addAll(names);
            return true;
        } catch (KeeperException.NoNodeException empty) {
            return true; // no host in this bucket
        } catch (Exception e) {
            LOG.debug("cannot list {}: {}", bucket, e.toString());
            return false;
        }
    }

    /** Lists the buckets that exist, in a new order of this host's own; false when there are none or ZooKeeper is away. */
    private boolean listBuckets() {
        String hosts = ZkLayout.hosts(environment);
        try {
            List<String> buckets = new ArrayList<>(zk.getChildren().forPath(hosts).stream().filter(n -> HostBuckets.indexOf(n) >= 0).toList());
            stats.listings++;
            Collections.shuffle(buckets, random);
            bucketOrder.clear();
            bucketOrder.addAll(buckets);
            nextBucket = 0;
            return !buckets.isEmpty();
        } catch (KeeperException.NoNodeException none) {
            return false;
        } catch (Exception e) {
            LOG.debug("cannot list {}: {}", hosts, e.toString());
            return false;
        }
    }

    private PeerAddress read(String host) {
        String node = ZkLayout.hostPeer(environment, host);
        byte[] data;
        try {
            data = zk.getData().forPath(node);
            stats.reads++;
        } catch (KeeperException.NoNodeException gone) {
            stats.reads++;
            return null;
        } catch (Exception e) {
            LOG.debug("cannot read {}: {}", node, e.toString());
            return null;
        }
        try {
            PeerAddress peer = PeerAddress.fromBytes(data, node);
            if (!host.equals(peer.host())) {
                throw new InvalidInputException(node + " names host '" + peer.host() + "'");
            }
            return peer;
        } catch (InvalidInputException e) {
            LOG.warn("skipping peer {}: {}", node, e.getMessage());
            return null;
        }
    }

    private void keep(String host, PeerAddress peer, boolean refreshing) {
        Map<String, PeerAddress> into = preference.sameZone(peer) ? sameZone : otherZones;
        if (into.size() >= maxPeers) {
            if (!refreshing) {
                return;
            }
            // a refresh rotates the sample: the newest peer takes the place of the oldest
            into.remove(into.keySet().iterator().next());
        }
        into.put(host, peer);
    }

    /** What this discovery has cost ZooKeeper so far. */
    public synchronized Stats stats() {
        return stats.copy();
    }

    /** The zone rules this discovery follows. */
    public ZonePreference preference() {
        return preference;
    }

    /** Counts of what a discovery asked ZooKeeper for. */
    public static final class Stats {
        int rounds;
        int listings;
        long namesListed;
        int largestListing;
        int reads;
        boolean sampleFull;

        Stats copy() {
            Stats c = new Stats();
            c.sampleFull = sampleFull;
            c.rounds = rounds;
            c.listings = listings;
            c.namesListed = namesListed;
            c.largestListing = largestListing;
            c.reads = reads;
            return c;
        }

        /** Rounds that asked ZooKeeper anything. */
        public int rounds() {
            return rounds;
        }

        /** Buckets listed. */
        public int listings() {
            return listings;
        }

        /** Names in those listings, together. */
        public long namesListed() {
            return namesListed;
        }

        /** Names in the largest listing. */
        public int largestListing() {
            return largestListing;
        }

        /** Peer nodes read (found or not). */
        public int reads() {
            return reads;
        }

        /** True once the host offered {@code maxPeers} peers. */
        public boolean sampleFull() {
            return sampleFull;
        }
    }
}
