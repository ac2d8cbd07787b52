package dev.codedeploy.agent.p2p;

import bt.torrent.PieceStatistics;
import bt.torrent.selector.PieceSelector;
import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * Rarest first; among pieces equally rare, this host's own order: the pieces from a start that a hash of the host's id
 * picks, onward, wrapping around.
 *
 * <p>Why not bt's randomized rarest-first: at the start of a rollout every host sees the same counts (only the seeder
 * has anything), and rarest-first does not see pieces in flight, so hosts picking at random among the same rare
 * pieces ask the seeder for the same ones, and the seeder, the scarcest uplink, sends them twice. Hosts that start at
 * different places ask it for different pieces; once a neighbour announces a piece its count rises and the others
 * pass over it. A stable order per host also means a restarted host asks for what it asked for before.
 */
final class SpreadRarestFirstSelector implements PieceSelector {

    private final int start;

    /** The order of host {@code hostId}. */
    SpreadRarestFirstSelector(String hostId) {
        // spread the 32-bit hash: String.hashCode of ids differing in a last digit are neighbours
        int h = hostId.hashCode() * 0x9E3779B9;
        this.start = h ^ (h >>> 16);
    }

    @Override
    public IntStream getNextPieces(BitSet pieces, PieceStatistics statistics) {
        int total = statistics.getPiecesTotal();
        if (total == 0) {
            return IntStream.empty();
        }
        int first = Math.floorMod(start, total);
        // count in the high bits, distance from this host's start in the low bits: one sort gives the order
        long[] keys = pieces.stream()
                .filter(piece -> statistics.getCount(piece) > 0)
                .mapToLong(piece -> ((long) statistics.getCount(piece) << 32) | Math.floorMod(piece - first, total))
                .toArray();
        Arrays.sort(keys);
        return Arrays.stream(keys).mapToInt(key -> ((int) key + first) % total);
    }
}
