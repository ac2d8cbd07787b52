package dev.codedeploy.agent.p2p;

import bt.net.InetPeer;
import bt.net.Peer;
import bt.peer.PeerSource;
import com.google.common.net.InetAddresses;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.release.PeerAddress;
import dev.codedeploy.release.ZkLayout;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers of one build, read from {@code peers/<build>/<host>} in the regional ZooKeeper. bt asks it every
 * peer-discovery interval; it answers only while the download is incomplete (a complete host is found by the
 * others), reads the children's names, drops its own host, and reads the address of at most {@code maxPeers} of
 * them, chosen at random and remembered, so that a large swarm costs each host a bounded number of reads.
 *
 * <p>An entry that is not a valid {@link PeerAddress} with an IP literal (no name lookups) and a port is skipped
 * with a warning. While ZooKeeper is unreachable it reports nothing new; bt keeps the peers it knows.
 */
final class ZooKeeperPeerSource implements PeerSource {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperPeerSource.class);

    private final CuratorFramework zk;
    private final String path;
    private final String self;
    private final int maxPeers;
    private final BooleanSupplier wanted;
    private final Map<String, Peer> known = new HashMap<>();
    private final Map<String, byte[]> refused = new HashMap<>();

    ZooKeeperPeerSource(CuratorFramework zk, String env, long buildId, String self, int maxPeers, BooleanSupplier wanted) {
        this.zk = zk;
        this.path = ZkLayout.peers(env, buildId);
        this.self = self;
        this.maxPeers = maxPeers;
        this.wanted = wanted;
    }

    @Override
    public synchronized boolean update() {
        if (!wanted.getAsBoolean() || !zk.getZookeeperClient().isConnected()) {
            return false;
        }
        List<String> children;
        try {
            children = new ArrayList<>(zk.getChildren().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            LOG.debug("cannot list {}: {}", path, e.toString());
            return false;
        }
        known.keySet().retainAll(children);
        children.remove(self);
        children.removeAll(known.keySet());
        Collections.shuffle(children);
        for (String host : children) {
            if (known.size() >= maxPeers) {
                break;
            }
            Peer peer = read(host);
            if (peer != null) {
                known.put(host, peer);
            }
        }
        return !known.isEmpty();
    }

    private Peer read(String host) {
        String node = path + "/" + host;
        byte[] data;
        try {
            data = zk.getData().forPath(node);
        } catch (KeeperException.NoNodeException gone) {
            return null;
        } catch (Exception e) {
            LOG.debug("cannot read {}: {}", node, e.toString());
            return null;
        }
        try {
            return toPeer(PeerAddress.fromBytes(data, node), node);
        } catch (InvalidInputException e) {
            if (!java.util.Arrays.equals(refused.put(host, data), data)) {
                LOG.warn("skipping peer {}: {}", node, e.getMessage());
            }
            return null;
        }
    }

    /**
     * Checks an address read from ZooKeeper and makes it a bt peer.
     *
     * @throws InvalidInputException when the address is not an IP literal or the port is out of range
     */
    static Peer toPeer(PeerAddress address, String where) {
        if (address.address() == null || !InetAddresses.isInetAddress(address.address())) {
            throw new InvalidInputException(where + " has address '" + address.address() + "': an IPv4 or IPv6 literal is required");
        }
        if (address.port() < 1 || address.port() > 65535) {
            throw new InvalidInputException(where + " has port " + address.port() + ": 1 to 65535");
        }
        InetAddress inet = InetAddresses.forString(address.address());
        return InetPeer.build(inet, address.port());
    }

    @Override
    public synchronized Collection<Peer> getPeers() {
        // bt removes what it consumed, so it gets a fresh mutable copy
        return new ArrayList<>(known.values());
    }

    @Override
    public String toString() {
        return "ZooKeeperPeerSource[" + path + "]";
    }
}
