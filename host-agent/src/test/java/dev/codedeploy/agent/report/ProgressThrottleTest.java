package dev.codedeploy.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.release.HostStatus;
import dev.codedeploy.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final long SIZE = 10L << 30;

    private static HostStatus.Progress at(long bytes) {
        return new HostStatus.Progress(bytes, SIZE, 0, 0, 5);
    }

    /** The seconds (from the start) at which a linear download of {@code seconds} seconds writes its progress. */
    private static List<Long> writes(long seed, long seconds) {
        MutableClock clock = new MutableClock();
        ProgressThrottle throttle = new ProgressThrottle(clock, INTERVAL, new SplittableRandom(seed));
        List<Long> writes = new ArrayList<>();
        for (long s = 1; s <= seconds; s++) {
            clock.advance(Duration.ofSeconds(1));
            if (throttle.due(at(SIZE * s / seconds))) {
                writes.add(s);
            }
        }
        return writes;
    }

    @Test
    void aTenMinuteDownloadWritesItsProgressAtMostTenTimesAndNeverTwiceWithinTheInterval() {
        List<Long> writes = writes(1, 600);
        // 10 % of ten minutes is a minute, later than the interval: a write every 60 to 90 s
        assertThat(writes).hasSizeBetween(6, 10);
        for (int i = 1; i < writes.size(); i++) {
            assertThat(writes.get(i) - writes.get(i - 1)).isBetween(60L, 91L);
        }
    }

    @Test
    void aFastDownloadWaitsForTheIntervalAndASlowOneForTenPercent() {
        // 100 s: the 30-45 s interval binds, so three writes at most
        assertThat(writes(2, 100)).hasSizeLessThanOrEqualTo(3);
        // an hour: 10 % binds, so at most ten writes although the interval passes 80 times
        assertThat(writes(3, 3600)).hasSizeBetween(6, 10);
    }

    @Test
    void hostsThatStartTogetherDoNotWriteTogether() {
        List<Long> first = writes(11, 600);
        List<Long> second = writes(12, 600);
        assertThat(first.get(0)).isNotEqualTo(second.get(0));
    }

    @Test
    void aNewDownloadStartsOver() {
        MutableClock clock = new MutableClock();
        ProgressThrottle throttle = new ProgressThrottle(clock, INTERVAL, new SplittableRandom(4));
        clock.advance(INTERVAL.multipliedBy(2));
        assertThat(throttle.due(at(SIZE / 2))).isTrue();
        throttle.restart();
        assertThat(throttle.due(at(SIZE / 2))).as("within the interval after the restart").isFalse();
        clock.advance(INTERVAL.multipliedBy(2));
        assertThat(throttle.due(at(SIZE / 20))).as("5 % of a new download").isFalse();
        assertThat(throttle.due(at(SIZE / 5))).isTrue();
    }
}
