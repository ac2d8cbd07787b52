package dev.codedeploy.agent.p2p;

import bt.metainfo.TorrentId;
import bt.net.Peer;
import bt.peer.PeerSource;
import bt.peer.PeerSourceFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;

/**
 * Gives bt a {@link ZooKeeperPeerSource} for each torrent the agent registered (by build id); bt gets no peers for
 * any other torrent. Installed into the bt runtime with a Guice module (see {@link PeerNetwork}).
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
    private final int maxPeers;
    private final ConcurrentMap<TorrentId, PeerSource> sources = new ConcurrentHashMap<>();

    /** Peers of {@code environment} in {@code zk}, leaving out {@code self}. */
    public ZooKeeperPeerSourceFactory(CuratorFramework zk, String environment, String self, int maxPeers) {
        this.zk = zk;
        this.environment = environment;
        this.self = self;
        this.maxPeers = maxPeers;
    }

    /** Looks up peers for {@code torrent} under build {@code buildId} while {@code wanted} is true. */
    public void register(TorrentId torrent, long buildId, BooleanSupplier wanted) {
        sources.put(torrent, new ZooKeeperPeerSource(zk, environment, buildId, self, maxPeers, wanted));
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
