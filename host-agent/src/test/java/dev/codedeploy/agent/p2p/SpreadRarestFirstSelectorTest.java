package dev.codedeploy.agent.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import bt.torrent.PieceStatistics;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpreadRarestFirstSelectorTest {

    @Test
    void rarerPiecesComeFirstWhateverTheHost() {
        int[] counts = {3, 1, 0, 2, 1, 3, 2, 1};
        List<Integer> order = new SpreadRarestFirstSelector("us-east-host-1").getNextPieces(all(counts.length), stats(counts)).boxed().toList();

        assertThat(order).as("a piece nobody has is not offered").doesNotContain(2).hasSize(7);
        assertThat(order.subList(0, 3)).containsExactlyInAnyOrder(1, 4, 7);
        assertThat(order.subList(3, 5)).containsExactlyInAnyOrder(3, 6);
        assertThat(order.subList(5, 7)).containsExactlyInAnyOrder(0, 5);
    }

    @Test
    void equallyRarePiecesFollowTheHostsOwnRotation() {
        int[] counts = new int[64];
        java.util.Arrays.fill(counts, 1);
        List<Integer> order = new SpreadRarestFirstSelector("host-7").getNextPieces(all(64), stats(counts)).boxed().toList();

        int first = order.get(0);
        assertThat(order).containsExactlyElementsOf(IntStream.range(0, 64).map(i -> (first + i) % 64).boxed().toList());
        assertThat(new SpreadRarestFirstSelector("host-7").getNextPieces(all(64), stats(counts)).boxed().toList())
                .as("stable for a host").isEqualTo(order);
    }

    @Test
    void hostsOfARegionStartAtDifferentPieces() {
        int[] counts = new int[32];
        java.util.Arrays.fill(counts, 1);
        Set<Integer> starts = new HashSet<>();
        for (int host = 1; host <= 12; host++) {
            starts.add(new SpreadRarestFirstSelector("eu-west-host-" + host).getNextPieces(all(32), stats(counts)).findFirst().orElseThrow());
        }
        // twelve random picks of 32 give about 10 distinct pieces; consecutive ids must spread as well as that
        assertThat(starts).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void onlyThePiecesAskedForAreOffered() {
        int[] counts = {1, 1, 1, 1};
        BitSet wanted = new BitSet();
        wanted.set(1);
        wanted.set(3);
        assertThat(new SpreadRarestFirstSelector("h").getNextPieces(wanted, stats(counts)).boxed().toList()).containsExactlyInAnyOrder(1, 3);
    }

    private static BitSet all(int n) {
        BitSet set = new BitSet(n);
        set.set(0, n);
        return set;
    }

    private static PieceStatistics stats(int[] counts) {
        return new PieceStatistics() {
            @Override
            public int getCount(int piece) {
                return counts[piece];
            }

            @Override
            public int getPiecesTotal() {
                return counts.length;
            }
        };
    }
}
