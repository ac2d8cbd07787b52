package dev.codedeploy.agent.p2p;

import bt.data.Bitfield;
import bt.data.PeerBitfield;
import bt.protocol.BitOrder;
import bt.net.ConnectionKey;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a seeder offers each host of one torrent, so that it sends every piece once before it sends any piece twice
 * (BEP 16's super-seeding, in our own form). The seeder sends no bitfield; it announces pieces one by one:
 * <ol>
 *   <li>until every piece has left it once, each host is offered at most {@code perPeer} pieces it lacks at a time, and
 *       each piece to one host only, among the pieces no host has and nobody was offered yet; a host gets its next
 *       offer once it announces (to everybody, the seeder included) that it holds one. The other hosts get those
 *       pieces from it, so the seeder's upload goes to pieces nobody has.</li>
 *   <li>then every host is offered every piece it still lacks, and the swarm finishes as usual.</li>
 * </ol>
 * Several seeders split the work without knowing of each other: each starts at a place of its own and skips the pieces
 * hosts announce (hosts announce each piece to every peer, seeders included).
 * A host that leaves gives back its offers that have not left the seeder whole. Only pieces the seeder holds (verified)
 * are offered, so a seeder that is still fetching the build can serve what it has.
 *
 * <p>All methods are called on bt's message dispatcher thread, except {@link #disconnected}; they synchronize.
 */
final class SuperSeeding {

    private final Bitfield local;
    private final long pieceSize;
    private final long size;
    private final int perPeer;
    private final int first;
    private final int pieces;
    private final BitSet offeredOnce;
    private final BitSet anyHost;
    private final long[] bytesSent;
    private final Map<Integer, Set<Integer>> blocksSent = new HashMap<>();
    private final BitSet sentOnce;
    private final Map<ConnectionKey, Host> hosts = new HashMap<>();
    private long blocks;
    private long firstRepeat = -1;
    private long lastFirstCopy = -1;

    private static final class Host {
        final BitSet has = new BitSet();
        final BitSet offered = new BitSet();
    }

    /**
     * @param local     the seeder's own pieces
     * @param pieceSize the torrent's piece size
     * @param size      the torrent's size in bytes
     * @param perPeer   pieces offered to a host at a time before every piece has left once
     * @param first     where this seeder starts giving pieces out: several seeders of a region start at different
     *                  places, and each skips what hosts announce they hold, so they split the pieces between them
     */
    SuperSeeding(Bitfield local, long pieceSize, long size, int perPeer, int first) {
        this.local = local;
        this.pieceSize = pieceSize;
        this.size = size;
        this.perPeer = perPeer;
        this.first = Math.floorMod(first, local.getPiecesTotal());
        this.pieces = local.getPiecesTotal();
        this.offeredOnce = new BitSet(pieces);
        this.anyHost = new BitSet(pieces);
        this.bytesSent = new long[pieces];
        this.sentOnce = new BitSet(pieces);
    }

    /** The next piece to announce to {@code host}, or -1 for none now. */
    synchronized int nextOffer(ConnectionKey host) {
        Host h = hosts.computeIfAbsent(host, k -> new Host());
        if (sentOnce.cardinality() == pieces) {
            BitSet mine = local.getBitmask();
            for (int piece = mine.nextSetBit(0); piece >= 0; piece = mine.nextSetBit(piece + 1)) {
                if (!h.has.get(piece) && !h.offered.get(piece)) {
                    return offer(h, piece);
                }
            }
            return -1;
        }
        BitSet waiting = (BitSet) h.offered.clone();
        waiting.andNot(h.has);
        if (waiting.cardinality() >= perPeer) {
            return -1;
        }
        for (int i = 0; i < pieces; i++) {
            int piece = (first + i) % pieces;
            if (!offeredOnce.get(piece) && !anyHost.get(piece) && !h.has.get(piece) && local.isVerified(piece)) {
                offeredOnce.set(piece);
                return offer(h, piece);
            }
        }
        return -1;
    }

    private static int offer(Host h, int piece) {
        h.offered.set(piece);
        return piece;
    }

    /** {@code host} announced that it holds {@code piece}. */
    synchronized void has(ConnectionKey host, int piece) {
        if (piece >= 0 && piece < pieces) {
            hosts.computeIfAbsent(host, k -> new Host()).has.set(piece);
            anyHost.set(piece);
        }
    }

    /** {@code host} sent its bitfield (as on the wire). */
    synchronized void has(ConnectionKey host, byte[] bitfield) {
        BitSet held = new PeerBitfield(bitfield, BitOrder.LITTLE_ENDIAN, pieces).getBitmask();
        for (int piece = held.nextSetBit(0); piece >= 0 && piece < pieces; piece = held.nextSetBit(piece + 1)) {
            has(host, piece);
        }
    }

    /** A block of {@code piece} left the seeder. */
    synchronized void sent(int piece, int offset, int length) {
        if (piece < 0 || piece >= pieces) {
            return;
        }
        blocks++;
        if (!blocksSent.computeIfAbsent(piece, p -> new HashSet<>()).add(offset)) {
            if (firstRepeat < 0) {
                firstRepeat = blocks;
            }
            return;
        }
        bytesSent[piece] += length;
        if (bytesSent[piece] >= pieceLength(piece) && !sentOnce.get(piece)) {
            sentOnce.set(piece);
            lastFirstCopy = blocks;
            blocksSent.remove(piece);
        } else if (sentOnce.get(piece) && firstRepeat < 0) {
            firstRepeat = blocks;
        }
    }

    private long pieceLength(int piece) {
        return Math.min(pieceSize, size - piece * pieceSize);
    }

    /** {@code host} left: its offers that have not left the seeder whole can go to another host. */
    synchronized void disconnected(ConnectionKey host) {
        Host h = hosts.remove(host);
        if (h == null) {
            return;
        }
        for (int piece = h.offered.nextSetBit(0); piece >= 0; piece = h.offered.nextSetBit(piece + 1)) {
            if (!sentOnce.get(piece) && !anyHost.get(piece)) {
                offeredOnce.clear(piece);
            }
        }
    }

    /** What left the seeder so far, in blocks: see {@link Uploads}. */
    synchronized Uploads uploads() {
        return new Uploads(pieces, sentOnce.cardinality(), blocks, lastFirstCopy, firstRepeat);
    }

    /**
     * What left a super-seeder.
     *
     * @param pieces         the torrent's pieces
     * @param sentOnce       pieces that have left whole at least once
     * @param blocks         blocks sent
     * @param lastFirstCopy  the block (counted from 1) that completed the last first copy of a piece, or -1
     * @param firstRepeat    the first block sent of a piece, or of a block, that had left before, or -1 for none yet
     */
    record Uploads(int pieces, int sentOnce, long blocks, long lastFirstCopy, long firstRepeat) {
    }
}
