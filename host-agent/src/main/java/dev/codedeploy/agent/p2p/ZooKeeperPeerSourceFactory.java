package dev.codedeploy.agent.p2p;

import bt.metainfo.TorrentId;
import bt.net.Peer;
import bt.peer.PeerSource;
import bt.peer.PeerSourceFactory;
import dev.codedeploy.agent.zk.PeerDiscovery;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;

/**
 * Gives bt a {@link ZooKeeperPeerSource} for each torrent the agent registered (by build id), over a
 * {@link PeerDiscovery} of that build; bt gets no peers for any other torrent. Installed into the bt runtime with a
 * Guice module (see {@link PeerNetwork}).
 */
public final class ZooKeeperPeerSourceFactory implements PeerSourceFactory {

    private static final PeerSource NONE = new PeerSource() {
        @Override
        public boolean update() {
            return false;
        }

        @Override
        public Collection<Peer> getPeers() {
            return new ArrayList<>();
        }
    };

    private final CuratorFramework zk;
    private final String environment;
    private final String self;
    private final String zone;
    private final int maxPeers;
    private final Clock clock;
    private final Duration interval;
    private final SplittableRandom random = new SplittableRandom();
    private final ConcurrentMap<TorrentId, PeerSource> sources = new ConcurrentHashMap<>();

    /** Peers of {@code environment} in {@code zk}, leaving out {@code self}, without zones. */
    public ZooKeeperPeerSourceFactory(CuratorFramework zk, String environment, String self, int maxPeers) {
        this(zk, environment, self, null, maxPeers, Clock.systemUTC(), Duration.ZERO);
    }

    /**
     * Peers of {@code environment} in {@code zk}, leaving out {@code self}, preferring {@code zone} (or null), read
     * every {@code interval} and sooner while none is known ({@link DiscoveryPace}; zero: whenever bt asks).
     */
    public ZooKeeperPeerSourceFactory(CuratorFramework zk, String environment, String self, String zone, int maxPeers, Clock clock,
                                      Duration interval) {
        this.interval = interval;
        this.zk = zk;
        this.environment = environment;
        this.self = self;
        this.zone = zone;
        this.maxPeers = maxPeers;
        this.clock = clock;
    }

    /** Looks up peers for {@code torrent} under build {@code buildId} while {@code wanted} is true. */
    public void register(TorrentId torrent, long buildId, BooleanSupplier wanted) {
        register(torrent, buildId, wanted, () -> true);
    }

    /**
     * Looks up peers for {@code torrent} under build {@code buildId} while {@code wanted} is true; {@code offeredPieces}
     * tells whether any peer has offered a piece yet (a host its zone cannot feed takes peers of other zones).
     */
    public synchronized void register(TorrentId torrent, long buildId, BooleanSupplier wanted, BooleanSupplier offeredPieces) {
        PeerDiscovery discovery = new PeerDiscovery(zk, environment, buildId, self, zone, maxPeers, clock, random.split());
        sources.put(torrent, new ZooKeeperPeerSource(discovery, wanted, offeredPieces, new DiscoveryPace(interval, clock)));
    }

    /** Stops looking up peers for {@code torrent}. */
    public void unregister(TorrentId torrent) {
        sources.remove(torrent);
    }

    @Override
    public PeerSource getPeerSource(TorrentId torrentId) {
        return sources.getOrDefault(torrentId, NONE);
    }
}
