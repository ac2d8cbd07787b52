package dev.codedeploy.sandbox.swarm;

import dev.codedeploy.agent.p2p.PeerNetworkConfig;
import dev.codedeploy.build.PieceSize;

/**
 * The shape of one region's swarm and the agents' policy, as {@link SwarmSimulation} plays it.
 *
 * @param hosts           hosts downloading the build
 * @param seeders         the region's seeders, each holding the build from the start
 * @param sizeBytes       the build's size
 * @param pieceSize       its piece size (the builders' {@link PieceSize#of} unless set)
 * @param hostUpMbps      what a host uploads at most: its link, or its upload limit ({@code bt.maxUploadMbps})
 * @param hostDownMbps    what a host downloads at most: its link, or {@code bt.maxDownloadMbps}
 * @param seederMbps      each seeder's upload
 * @param zones           zones of the region; hosts and seeders are spread evenly over them
 * @param zonePreference  the share of a host's peers taken from its own zone (0: zones ignored)
 * @param peersPerHost    peers a host connects to ({@code bt.maxConnections}, from a sample of {@code bt.maxPeers})
 * @param uploadSlots     pieces a host uploads at once; each gets an equal share of its upload
 * @param seederSlots     hosts a seeder serves at once ({@code bt.seederSlots})
 * @param piecesPerPeer   pieces a host fetches from one peer at once ({@code bt.piecesPerPeer})
 * @param superSeed       whether seeders send every piece once before any twice ({@code bt.superSeed})
 * @param pieceOverheadS  seconds a piece transfer costs beyond its bytes (request, verification, announcement)
 * @param seed            the random seed
 */
public record SwarmModel(int hosts, int seeders, long sizeBytes, int pieceSize, double hostUpMbps, double hostDownMbps,
                         double seederMbps, int zones, double zonePreference, int peersPerHost, int uploadSlots, int seederSlots,
                         int piecesPerPeer, boolean superSeed, double pieceOverheadS, long seed) {

    public SwarmModel {
        if (hosts < 1 || seeders < 1 || zones < 1 || sizeBytes < 1 || pieceSize < 1) {
            throw new IllegalArgumentException("hosts, seeders, zones, size and piece size must be at least 1");
        }
        if (zonePreference < 0 || zonePreference > 1) {
            throw new IllegalArgumentException("zonePreference " + zonePreference + " is a share: 0 to 1");
        }
    }

    /**
     * A region with the agents' default policy ({@link PeerNetworkConfig#defaults()}, the builders' piece size), one
     * zone, and {@code uploadSlots} of 4.
     */
    public static SwarmModel withAgentDefaults(int hosts, int seeders, long sizeBytes, double hostMbps, double seederMbps) {
        PeerNetworkConfig agent = PeerNetworkConfig.defaults();
        return new SwarmModel(hosts, seeders, sizeBytes, PieceSize.of(sizeBytes), hostMbps, hostMbps, seederMbps, 1, 0,
                agent.maxConnections(), 4, agent.seederSlots(), agent.piecesPerPeer(), agent.superSeed(), 0, 1);
    }

    /** The pieces of the build. */
    public int pieces() {
        return (int) ((sizeBytes + pieceSize - 1) / pieceSize);
    }

    /** The bytes of {@code piece}. */
    long pieceBytes(int piece) {
        return Math.min(pieceSize, sizeBytes - (long) piece * pieceSize);
    }

    /**
     * The physical bound (Kurose and Ross): the seeders send every byte at least once, every host receives every
     * byte, and all bytes the hosts receive leave some upload: max(F/u_s, F/d, N F / (u_s + N u)) with u_s the
     * seeders' upload together.
     */
    public double boundSeconds() {
        double bits = sizeBytes * 8.0;
        double seeding = seeders * seederMbps * 1e6;
        return Math.max(Math.max(bits / seeding, bits / (hostDownMbps * 1e6)), hosts * bits / (seeding + hosts * hostUpMbps * 1e6));
    }

    public SwarmModel withPieceSize(int newPieceSize) {
        return new SwarmModel(hosts, seeders, sizeBytes, newPieceSize, hostUpMbps, hostDownMbps, seederMbps, zones, zonePreference,
                peersPerHost, uploadSlots, seederSlots, piecesPerPeer, superSeed, pieceOverheadS, seed);
    }

    public SwarmModel withLinks(double newHostUpMbps, double newHostDownMbps) {
        return new SwarmModel(hosts, seeders, sizeBytes, pieceSize, newHostUpMbps, newHostDownMbps, seederMbps, zones, zonePreference,
                peersPerHost, uploadSlots, seederSlots, piecesPerPeer, superSeed, pieceOverheadS, seed);
    }

    public SwarmModel withZones(int newZones, double newZonePreference) {
        return new SwarmModel(hosts, seeders, sizeBytes, pieceSize, hostUpMbps, hostDownMbps, seederMbps, newZones, newZonePreference,
                peersPerHost, uploadSlots, seederSlots, piecesPerPeer, superSeed, pieceOverheadS, seed);
    }

    public SwarmModel withSlots(int newUploadSlots, int newSeederSlots, int newPiecesPerPeer) {
        return new SwarmModel(hosts, seeders, sizeBytes, pieceSize, hostUpMbps, hostDownMbps, seederMbps, zones, zonePreference,
                peersPerHost, newUploadSlots, newSeederSlots, newPiecesPerPeer, superSeed, pieceOverheadS, seed);
    }

    public SwarmModel withSuperSeed(boolean on) {
        return new SwarmModel(hosts, seeders, sizeBytes, pieceSize, hostUpMbps, hostDownMbps, seederMbps, zones, zonePreference,
                peersPerHost, uploadSlots, seederSlots, piecesPerPeer, on, pieceOverheadS, seed);
    }

    public SwarmModel withPieceOverhead(double seconds) {
        return new SwarmModel(hosts, seeders, sizeBytes, pieceSize, hostUpMbps, hostDownMbps, seederMbps, zones, zonePreference,
                peersPerHost, uploadSlots, seederSlots, piecesPerPeer, superSeed, seconds, seed);
    }

    public SwarmModel withPeersPerHost(int newPeersPerHost) {
        return new SwarmModel(hosts, seeders, sizeBytes, pieceSize, hostUpMbps, hostDownMbps, seederMbps, zones, zonePreference,
                newPeersPerHost, uploadSlots, seederSlots, piecesPerPeer, superSeed, pieceOverheadS, seed);
    }
}
