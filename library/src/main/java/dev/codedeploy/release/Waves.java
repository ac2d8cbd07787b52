package dev.codedeploy.release;

import dev.codedeploy.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Wave arithmetic. A host's place in the rollout is a stable hash of its id in [0, 100): it switches once the open
 * wave's percentage is above it, so the same hosts always go first and a wave's hosts stay in every later wave.
 */
public final class Waves {

    private Waves() {
    }

    /** The host's stable percentile, 0 to 99. */
    public static int percentileOf(String hostId) {
        CRC32C crc = new CRC32C();
        crc.update(hostId.getBytes(StandardCharsets.UTF_8));
        // mix the bits so that ids differing in one character spread evenly
        long h = crc.getValue() * 0x9E3779B97F4A7C15L;
        return (int) Long.remainderUnsigned(h >>> 16, 100);
    }

    /**
     * Checks a wave plan: ascending percentages in 1..100, ending at 100.
     *
     * @throws InvalidInputException naming the plan and the rule it breaks
     */
    public static void check(List<Integer> waves) {
        if (waves == null || waves.isEmpty()) {
            throw new InvalidInputException("wave plan is empty: give ascending percentages ending at 100, such as [1, 10, 50, 100]");
        }
        int previous = 0;
        for (Integer w : waves) {
            if (w == null || w <= previous || w > 100) {
                throw new InvalidInputException("wave plan " + waves + " must be strictly ascending percentages from 1 to 100");
            }
            previous = w;
        }
        if (previous != 100) {
            throw new InvalidInputException("wave plan " + waves + " must end at 100, so that every host is reached");
        }
    }
}
