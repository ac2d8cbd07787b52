package dev.codedeploy.agent.p2p;

import bt.net.InetPeer;
import bt.net.Peer;
import bt.peer.PeerSource;
import com.google.common.net.InetAddresses;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.agent.zk.PeerDiscovery;
import dev.codedeploy.release.PeerAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers of one build for bt, found by a {@link PeerDiscovery} in the buckets of the regional ZooKeeper. bt asks
 * it every peer-discovery interval; it answers only while the download is incomplete (a complete host is found by
 * the others), and then with a bounded sample, its own zone first.
 *
 * <p>An entry whose address is not an IP literal (no name lookups) with a port is skipped with a warning. While
 * ZooKeeper is unreachable it reports nothing new; bt keeps the peers it knows.
 */
final class ZooKeeperPeerSource implements PeerSource {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperPeerSource.class);

    private final PeerDiscovery discovery;
    private final BooleanSupplier wanted;
    private final BooleanSupplier offeredPieces;
    private final DiscoveryPace pace;
    private final Map<String, PeerAddress> refused = new HashMap<>();
    private List<Peer> known = List.of();

    ZooKeeperPeerSource(PeerDiscovery discovery, BooleanSupplier wanted, BooleanSupplier offeredPieces) {
        this(discovery, wanted, offeredPieces, DiscoveryPace.everyCall());
    }

    /** As bt's source, asking ZooKeeper only when {@code pace} says a round is due. */
    ZooKeeperPeerSource(PeerDiscovery discovery, BooleanSupplier wanted, BooleanSupplier offeredPieces, DiscoveryPace pace) {
        this.discovery = discovery;
        this.wanted = wanted;
        this.offeredPieces = offeredPieces;
        this.pace = pace;
    }

    @Override
    public synchronized boolean update() {
        if (!wanted.getAsBoolean() || !pace.due()) {
            return false;
        }
        List<Peer> peers = new ArrayList<>();
        for (PeerAddress address : discovery.round(offeredPieces.getAsBoolean())) {
            try {
                peers.add(toPeer(address, address.host()));
            } catch (InvalidInputException e) {
                if (!address.equals(refused.put(address.host(), address))) {
                    LOG.warn("skipping peer {}: {}", address.host(), e.getMessage());
                }
            }
        }
        known = peers;
        pace.roundFound(peers.size());
        return !known.isEmpty();
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
        return new ArrayList<>(known);
    }

    /** The discovery behind this source. */
    PeerDiscovery discovery() {
        return discovery;
    }

    @Override
    public String toString() {
        return "ZooKeeperPeerSource[" + discovery + "]";
    }
}
