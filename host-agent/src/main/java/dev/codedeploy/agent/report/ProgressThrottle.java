package dev.codedeploy.agent.report;

import dev.codedeploy.release.HostStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Decides when download progress is worth a ZooKeeper write: only once the download advanced {@value #STEP_PERCENT}
 * % of its bytes since the last write <em>and</em> {@code interval} passed (whichever comes later), each of the two
 * jittered (times 1 to 1.5, drawn again at every write) so that hosts that started together do not write together.
 * The rollout counts states, which are written at once; progress is for people looking at a host, so 20,000 hosts
 * downloading a 10-minute build write it at most 10 times each, not 600.
 */
public final class ProgressThrottle {

    /** The least advance, in percent of the bytes, between two writes. */
    public static final int STEP_PERCENT = 10;

    private final Clock clock;
    private final Duration interval;
    private final RandomGenerator random;
    private Instant next;
    private long lastBytes;
    private double stepFactor;

    /**
     * A throttle whose first write may come once {@code interval} (jittered) has passed from now.
     *
     * @param random the jitter's source (seeded in tests)
     */
    public ProgressThrottle(Clock clock, Duration interval, RandomGenerator random) {
        this.clock = clock;
        this.interval = interval;
        this.random = random;
        restart();
    }

    private double jitter() {
        return 1 + random.nextDouble() / 2;
    }

    /** True when {@code progress} should be written now; the caller writes it, and the next one waits again. */
    public boolean due(HostStatus.Progress progress) {
        Instant now = clock.instant();
        long step = Math.max(1, (long) (progress.bytesTotal() * stepFactor * STEP_PERCENT / 100));
        if (now.isBefore(next) || progress.bytesDone() - lastBytes < step) {
            return false;
        }
        lastBytes = progress.bytesDone();
        drawNext(now);
        return true;
    }

    /** Starts over for a new download (a new target, a new state): the next write again waits for both conditions. */
    public void restart() {
        lastBytes = 0;
        drawNext(clock.instant());
    }

    private void drawNext(Instant now) {
        next = now.plusNanos((long) (interval.toNanos() * jitter()));
        stepFactor = jitter();
    }
}
