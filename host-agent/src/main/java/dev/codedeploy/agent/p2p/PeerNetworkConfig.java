package dev.codedeploy.agent.p2p;

import dev.codedeploy.config.ConfigException;
import java.time.Duration;

/**
 * The agent's BitTorrent settings, section {@code bt} of its configuration.
 *
 * @param address               the address bt listens on (default: the host's first non-loopback IPv4 address)
 * @param advertiseAddress      the address published to peers in ZooKeeper (default: {@code address}); required
 *                              when {@code address} is a wildcard
 * @param port                  the port bt listens on (default 6891)
 * @param peerDiscoveryInterval how often a downloading agent reads its peers from ZooKeeper (default 5s)
 * @param maxPeers              the most peers taken from ZooKeeper per build (a random sample; default 50)
 * @param maxConnections        the most connections per build (default 50)
 * @param seedAfter             how long a build is still seeded after the release moved to another build (default 10m)
 * @param maxDownloadMbps       the most this host downloads, in Mbit/s, over all builds (default: no limit)
 * @param stallTimeout          a download without a new piece for this long, while peers offer pieces, is abandoned
 *                              and started again with a freshly fetched torrent (default 2m); before any peer
 *                              offers a piece (the regional seeder still fetching a large build) the host just waits
 * @param piecesPerPeer         pieces downloaded from one peer at a time (default 1: a piece completes sooner and can
 *                              be passed on sooner)
 * @param seederSlots           hosts the regional seeder serves at once (default 4): fewer, faster uploads make pieces
 *                              complete sooner on a few hosts, which pass them on, instead of the seeder sending the
 *                              same pieces to many hosts at once; a finished host's slot frees after 5 s idle
 * @param maxUploadMbps         the most this host uploads to peers, in Mbit/s, over all builds (default: no limit): a
 *                              host also serves its application
 * @param superSeed             whether the regional seeder super-seeds (default true): it sends every piece once
 *                              before it sends any piece twice (see docs/host-agent.md); ignored on other hosts
 */
public record PeerNetworkConfig(String address, String advertiseAddress, Integer port, Duration peerDiscoveryInterval,
                                Integer maxPeers, Integer maxConnections, Duration seedAfter, Integer maxDownloadMbps,
                                Duration stallTimeout, Integer piecesPerPeer, Integer seederSlots, Integer maxUploadMbps,
                                Boolean superSeed) {

    /** bt's usual port. */
    public static final int DEFAULT_PORT = 6891;

    public PeerNetworkConfig {
        port = port == null ? DEFAULT_PORT : port;
        if (port < 1 || port > 65535) {
            throw new ConfigException("bt.port " + port + " is not a port: 1 to 65535");
        }
        peerDiscoveryInterval = peerDiscoveryInterval == null ? Duration.ofSeconds(5) : peerDiscoveryInterval;
        if (peerDiscoveryInterval.toMillis() < 100) {
            throw new ConfigException("bt.peerDiscoveryInterval " + peerDiscoveryInterval + " is too short: at least 100ms");
        }
        maxPeers = maxPeers == null ? 50 : maxPeers;
        maxConnections = maxConnections == null ? 50 : maxConnections;
        if (maxPeers < 1 || maxConnections < 1) {
            throw new ConfigException("bt.maxPeers and bt.maxConnections must be at least 1");
        }
        seedAfter = seedAfter == null ? Duration.ofMinutes(10) : seedAfter;
        stallTimeout = stallTimeout == null ? Duration.ofMinutes(2) : stallTimeout;
        piecesPerPeer = piecesPerPeer == null ? 1 : piecesPerPeer;
        seederSlots = seederSlots == null ? 4 : seederSlots;
        if (piecesPerPeer < 1 || seederSlots < 1) {
            throw new ConfigException("bt.piecesPerPeer and bt.seederSlots must be at least 1");
        }
        if (maxDownloadMbps != null && maxDownloadMbps < 1) {
            throw new ConfigException("bt.maxDownloadMbps " + maxDownloadMbps + " must be at least 1 (leave it out for no limit)");
        }
        if (maxUploadMbps != null && maxUploadMbps < 1) {
            throw new ConfigException("bt.maxUploadMbps " + maxUploadMbps + " must be at least 1 (leave it out for no limit)");
        }
        superSeed = superSeed == null || superSeed;
    }

    /** The settings above, with no upload limit and super-seeding on. */
    public PeerNetworkConfig(String address, String advertiseAddress, Integer port, Duration peerDiscoveryInterval, Integer maxPeers,
                             Integer maxConnections, Duration seedAfter, Integer maxDownloadMbps, Duration stallTimeout,
                             Integer piecesPerPeer, Integer seederSlots) {
        this(address, advertiseAddress, port, peerDiscoveryInterval, maxPeers, maxConnections, seedAfter, maxDownloadMbps, stallTimeout,
                piecesPerPeer, seederSlots, null, null);
    }

    /** The defaults. */
    public static PeerNetworkConfig defaults() {
        return new PeerNetworkConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The same settings with an upload limit of {@code mbps} (null: none). */
    public PeerNetworkConfig withMaxUploadMbps(Integer mbps) {
        return new PeerNetworkConfig(address, advertiseAddress, port, peerDiscoveryInterval, maxPeers, maxConnections, seedAfter,
                maxDownloadMbps, stallTimeout, piecesPerPeer, seederSlots, mbps, superSeed);
    }

    /** The same settings with super-seeding on or off. */
    public PeerNetworkConfig withSuperSeed(boolean on) {
        return new PeerNetworkConfig(address, advertiseAddress, port, peerDiscoveryInterval, maxPeers, maxConnections, seedAfter,
                maxDownloadMbps, stallTimeout, piecesPerPeer, seederSlots, maxUploadMbps, on);
    }

    /** The same settings listening on {@code newAddress}:{@code newPort} (flags override the file). */
    public PeerNetworkConfig withListen(String newAddress, Integer newPort) {
        return new PeerNetworkConfig(newAddress == null ? address : newAddress, advertiseAddress,
                newPort == null ? port : newPort, peerDiscoveryInterval, maxPeers, maxConnections, seedAfter, maxDownloadMbps, stallTimeout,
                piecesPerPeer, seederSlots, maxUploadMbps, superSeed);
    }
}
