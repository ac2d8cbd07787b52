package dev.codedeploy.sandbox.cluster;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The one way the scenarios and benchmarks wait: Awaitility polling a condition every 20 ms on the calling thread
 * (conditions read ZooKeeper and the database through clients that belong to it), within a deadline.
 */
public final class Wait {

    private static final Duration POLL = Duration.ofMillis(20);

    /** A condition that may read ZooKeeper, the database or a blob store. */
    @FunctionalInterface
    public interface Condition {
        /** True when it holds. */
        boolean holds() throws Exception;
    }

    private Wait() {
    }

    /**
     * Waits until {@code condition} holds; an exception the condition throws ends the wait and is thrown.
     *
     * @return false on timeout
     */
    public static boolean until(Duration timeout, Condition condition) throws Exception {
        try {
            Awaitility.await().atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(POLL)
                    .until(condition::holds);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @throws IllegalStateException naming {@code what} on timeout
     */
    public static void require(String what, Duration timeout, Condition condition) throws Exception {
        if (!until(timeout, condition)) {
            throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        }
    }
}
