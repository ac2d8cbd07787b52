package dev.codedeploy.agent.p2p;

import bt.data.Storage;
import bt.data.file.FileSystemStorage;
import bt.metainfo.Torrent;
import com.google.common.util.concurrent.RateLimiter;
import bt.protocol.crypto.EncryptionPolicy;
import bt.runtime.BtRuntime;
import bt.runtime.Config;
import dev.codedeploy.agent.zk.AgentZooKeeper;
import dev.codedeploy.agent.zk.HostPlacement;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.release.PeerAddress;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.zookeeper.EphemeralNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's place in the BitTorrent network: one bt runtime listening on the configured address and port, with
 * peer exchange, local service discovery and trackers out of the way (bt-core has no DHT) and {@link
 * ZooKeeperPeerSourceFactory} as its only source of peers; and one {@link Swarm} per build it downloads or seeds.
 *
 * <p>The host's one peer node {@code hosts/<bucket>/<host>/peer} (an {@link EphemeralNode}, so it comes back after a
 * new ZooKeeper session) lists its address, zone and rack and the builds it serves: joining a build adds it, leaving
 * takes it out; one write each, however many builds a day. During an upgrade from the flat layout it also publishes
 * {@code peers/<build>/<host>} for agents of the previous version ({@link HostPlacement#legacyPeerEntries()}). A build
 * the release moved away from is {@linkplain #retire retired}: still seeded until its deadline, then left by
 * {@link #leaveExpired()}.
 */
public final class PeerNetwork implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerNetwork.class);

    private final PeerNetworkConfig config;
    private final CuratorFramework zk;
    private final String environment;
    private final String host;
    private final HostPlacement placement;
    private final Clock clock;
    private final ZooKeeperPeerSourceFactory peerSources;
    private final Map<Long, Joined> swarms = new HashMap<>();
    /** Bytes sent to peers by swarms already left (the joined ones add theirs in {@link #uploadedBytes()}). */
    private long uploadedByLeft;
    private final InetAddress listen;
    private final InetAddress advertise;
    private final RateLimiter downloadLimit;
    private final RateLimiter uploadLimit;
    private final boolean seeder;
    private final boolean openParents;
    private BtRuntime runtime;
    private EphemeralNode peerNode;

    /** How often a peer node not in place is tried again, under its watch (it covers a host not enrolled yet). */
    private static final Duration NODE_RECHECK = Duration.ofSeconds(5);

    /** A build joined; {@code legacyNode} is its entry in the previous layout, or null. */
    private record Joined(Swarm swarm, EphemeralNode legacyNode, Instant retiredUntil) {
    }

    /** A network for host {@code host} of {@code environment}; nothing listens before {@link #start()}. */
    public PeerNetwork(PeerNetworkConfig config, CuratorFramework zk, String environment, String host, Clock clock) {
        this(config, zk, environment, host, clock, false, true);
    }

    /**
     * A network for {@code host}; the regional {@code seeder} serves at most {@link PeerNetworkConfig#seederSlots()}
     * hosts at once and drops a connection idle for 5 s; with {@code openParents} (an agent without ZooKeeper
     * identity) it creates a missing {@code peers/<build>} itself. Nothing listens before {@link #start()}.
     */
    public PeerNetwork(PeerNetworkConfig config, CuratorFramework zk, String environment, String host, Clock clock, boolean seeder,
                       boolean openParents) {
        this(config, zk, environment, HostPlacement.of(host), clock, seeder, openParents);
    }

    /**
     * A network for the host of {@code placement}, whose peers of the same zone it prefers; see
     * {@link #PeerNetwork(PeerNetworkConfig, CuratorFramework, String, String, Clock, boolean, boolean)}.
     */
    public PeerNetwork(PeerNetworkConfig config, CuratorFramework zk, String environment, HostPlacement placement, Clock clock,
                       boolean seeder, boolean openParents) {
        this.seeder = seeder;
        this.openParents = openParents;
        this.config = config;
        this.zk = zk;
        this.environment = environment;
        this.host = placement.host();
        this.placement = placement;
        this.clock = clock;
        this.peerSources = new ZooKeeperPeerSourceFactory(zk, environment, host, placement.zone(), config.maxPeers(), clock,
                config.peerDiscoveryInterval());
        this.listen = config.address() == null ? new Config().getAcceptorAddress() : parse(config.address(), "bt.address");
        InetAddress published = config.advertiseAddress() == null ? listen : parse(config.advertiseAddress(), "bt.advertiseAddress");
        if (published.isAnyLocalAddress()) {
            throw new ConfigException("bt.address is " + config.address() + ": set bt.advertiseAddress to the address peers reach this host at");
        }
        this.advertise = published;
        this.downloadLimit = config.maxDownloadMbps() == null ? null : RateLimiter.create(config.maxDownloadMbps() * 1_000_000.0 / 8);
        this.uploadLimit = config.maxUploadMbps() == null ? null : RateLimiter.create(config.maxUploadMbps() * 1_000_000.0 / 8);
    }

    private static InetAddress parse(String address, String field) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new ConfigException(field + " '" + address + "' is not an address of this host: " + e.getMessage());
        }
    }

    /** Starts bt's runtime: it listens from now on. */
    public synchronized void start() {
        DigestWarmUp.start();
        Config bt = new Config();
        bt.setAcceptorAddress(listen);
        bt.setAcceptorPort(config.port());
        bt.setPeerAddress(advertise);
        // bt asks often; the sources read ZooKeeper only when their pace says so (soon after a round that found nobody)
        bt.setPeerDiscoveryInterval(DiscoveryPace.btInterval(config.peerDiscoveryInterval()));
        bt.setMaxPeerConnectionsPerTorrent(seeder ? config.seederSlots() : config.maxConnections());
        bt.setMaxConcurrentlyActivePeerConnectionsPerTorrent(config.maxConnections());
        bt.setPeerConnectionInactivityThreshold(seeder ? Duration.ofSeconds(5) : Duration.ofMinutes(1));
        bt.setMaxSimultaneouslyAssignedPieces(config.piecesPerPeer());
        bt.setNumOfHashingThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
        // a private fleet: no stream obfuscation (its handshake costs seconds), plaintext only
        bt.setMseDisabled(true);
        bt.setEncryptionPolicy(EncryptionPolicy.REQUIRE_PLAINTEXT);
        // a peer sending no block for 10 s (bt: 5 s) loses its assignment; a restarted or slow peer must not stay
        // banned for bt's default 30 min (unreachable) or 1 min (timed-out assignment)
        bt.setMaxPieceReceivingTime(Duration.ofSeconds(10));
        bt.setTimeoutedAssignmentPeerBanDuration(Duration.ofSeconds(5));
        bt.setUnreachablePeerBanDuration(Duration.ofSeconds(10));
        bt.setPeerConnectionRetryInterval(Duration.ofSeconds(5));
        boolean superSeed = seeder && config.superSeed();
        runtime = BtRuntime.builder(bt)
                .module(new BtModule(peerSources, new WirePolicy(uploadLimit, superSeed, config.piecesPerPeer() + 1)))
                .disablePeerExchange()
                .disableLocalServiceDiscovery()
                .disableAutomaticShutdown()
                .build();
        BtSelfTest.check(runtime);
        runtime.startup();
        LOG.info("bt listens on {}:{}, published as {}", listen.getHostAddress(), config.port(), advertise.getHostAddress());
    }

    /** What left this host's super-seeder for {@code torrent}, when it super-seeds it. */
    synchronized Optional<SuperSeeding.Uploads> superSeeded(bt.metainfo.TorrentId torrent) {
        if (runtime == null || !(runtime.getInjector().getInstance(bt.net.IMessageDispatcher.class) instanceof AgentDispatcher dispatcher)
                || !dispatcher.superSeeds()) {
            return Optional.empty();
        }
        return dispatcher.superSeeding(torrent).map(SuperSeeding::uploads);
    }

    /** The address, port, zone and rack published to peers, with the builds this host serves now. */
    public synchronized PeerAddress address() {
        List<Long> builds = swarms.keySet().stream().sorted(Comparator.reverseOrder()).limit(PeerAddress.MAX_BUILDS).toList();
        return new PeerAddress(host, advertise.getHostAddress(), config.port(), placement.zone(), placement.rack(), builds);
    }

    /**
     * Downloads (or, when the file is complete, seeds) {@code torrent} into {@code folder}, and publishes this host
     * as a peer of {@code buildId}. Joining a build already joined with the same torrent returns its swarm (and
     * takes it out of retirement); with another torrent the old swarm is stopped first.
     */
    public synchronized Swarm join(long buildId, Torrent torrent, Path folder) {
        return join(buildId, torrent, folder, false);
    }

    /**
     * Seeds {@code torrent} from {@code folder} while the caller writes the file, piece by piece, telling the swarm
     * of each one ({@link Swarm#pieceWritten}); bt fetches nothing from peers. Only a super-seeding seeder can be fed:
     * it announces each piece as it comes (a plain bitfield at connection time would miss the later ones).
     *
     * @throws IllegalStateException when this host does not super-seed
     */
    public synchronized Swarm feed(long buildId, Torrent torrent, Path folder) {
        if (!seeder || !config.superSeed()) {
            throw new IllegalStateException("only a super-seeding seeder can be fed: host " + host + " is not one");
        }
        return join(buildId, torrent, folder, true);
    }

    /** Whether this host can be {@linkplain #feed fed}. */
    public boolean feedable() {
        return seeder && config.superSeed();
    }

    private Swarm join(long buildId, Torrent torrent, Path folder, boolean fed) {
        Joined joined = swarms.get(buildId);
        if (joined != null && joined.swarm().torrentId().equals(torrent.getTorrentId())) {
            if (joined.retiredUntil() != null) {
                swarms.put(buildId, new Joined(joined.swarm(), joined.legacyNode(), null));
            }
            return joined.swarm();
        }
        if (joined != null) {
            leave(buildId);
        }
        Storage storage = new FileSystemStorage(folder);
        Swarm swarm = new Swarm(runtime, buildId, torrent, folder, downloadLimit == null ? storage : new ThrottledStorage(storage, downloadLimit),
                fed);
        // the seeder has the whole file before it joins: it never dials out, so it never races a host dialling it
        peerSources.register(torrent.getTorrentId(), buildId, seeder ? () -> false : () -> !swarm.downloaded().isDone(),
                swarm::piecesOffered);
        swarm.start();
        if (openParents) {
            AgentZooKeeper.prepareOpenParent(zk, ZkLayout.host(environment, host));
        }
        EphemeralNode legacy = null;
        if (placement.legacyPeerEntries()) {
            PeerAddress flat = new PeerAddress(host, advertise.getHostAddress(), config.port());
            legacy = new EphemeralNode(zk, ZkLayout.legacyPeer(environment, buildId, host), flat.toBytes(), NODE_RECHECK);
            legacy.start();
        }
        swarms.put(buildId, new Joined(swarm, legacy, null));
        publish();
        LOG.info("joined the swarm of build {} ({} bytes, {} pieces)", buildId, torrent.getSize(), swarm.progress().piecesTotal());
        return swarm;
    }

    /** Writes the builds this host serves into its peer node (made at the first join). */
    private void publish() {
        if (peerNode == null) {
            peerNode = new EphemeralNode(zk, ZkLayout.hostPeer(environment, host), address().toBytes(), NODE_RECHECK);
            peerNode.start();
        } else {
            peerNode.setData(address().toBytes());
        }
    }

    /** For an agent without ZooKeeper identity: makes sure its enrolled node exists once it serves a build. */
    public synchronized void prepareOpenParents() {
        if (openParents && !swarms.isEmpty()) {
            AgentZooKeeper.prepareOpenParent(zk, ZkLayout.host(environment, host));
        }
    }

    /** The swarm of {@code buildId}, when joined. */
    public synchronized Optional<Swarm> swarm(long buildId) {
        return Optional.ofNullable(swarms.get(buildId)).map(Joined::swarm);
    }

    /** Bytes this host has sent to peers since it started, over every build (the agent's seeded-bytes counter). */
    public synchronized long uploadedBytes() {
        long joined = swarms.values().stream().mapToLong(j -> j.swarm().uploaded()).sum();
        return uploadedByLeft + joined;
    }

    /** The builds joined now (seeding, downloading or retired). */
    public synchronized Set<Long> builds() {
        return Set.copyOf(swarms.keySet());
    }

    /** Keeps seeding {@code buildId} for {@code seedAfter}, then {@link #leaveExpired()} leaves it. */
    public synchronized void retire(long buildId) {
        Joined joined = swarms.get(buildId);
        if (joined != null && joined.retiredUntil() == null) {
            swarms.put(buildId, new Joined(joined.swarm(), joined.legacyNode(), clock.instant().plus(config.seedAfter())));
            LOG.info("build {} is no longer the release: seeding it for {} more", buildId, config.seedAfter());
        }
    }

    /** Leaves every retired build whose time is up, and returns them. */
    public synchronized Set<Long> leaveExpired() {
        Instant now = clock.instant();
        Set<Long> expired = new java.util.HashSet<>();
        swarms.forEach((build, joined) -> {
            if (joined.retiredUntil() != null && !now.isBefore(joined.retiredUntil())) {
                expired.add(build);
            }
        });
        expired.forEach(this::leave);
        return expired;
    }

    /** Stops downloading and seeding {@code buildId} and withdraws this host from its peers. */
    public synchronized void leave(long buildId) {
        Joined joined = swarms.remove(buildId);
        if (joined == null) {
            return;
        }
        if (joined.legacyNode() != null) {
            joined.legacyNode().close();
        }
        publish();
        peerSources.unregister(joined.swarm().torrentId());
        joined.swarm().stop();
        uploadedByLeft += joined.swarm().uploaded();
        LOG.info("left the swarm of build {}", buildId);
    }

    @Override
    public synchronized void close() {
        for (Long build : Set.copyOf(swarms.keySet())) {
            leave(build);
        }
        if (peerNode != null) {
            peerNode.close();
            peerNode = null;
        }
        if (runtime != null) {
            runtime.shutdown();
            runtime = null;
        }
    }
}
