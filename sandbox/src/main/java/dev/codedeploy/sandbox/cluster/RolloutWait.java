package dev.codedeploy.sandbox.cluster;

import java.time.Duration;

/** Polls a rollout condition until it holds, within a deadline (the sandbox has no Awaitility). */
public final class RolloutWait {

    /** A condition that may read ZooKeeper. */
    @FunctionalInterface
    public interface Condition {
        /** True when it holds. */
        boolean holds() throws Exception;
    }

    private RolloutWait() {
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @return false on timeout
     */
    public static boolean until(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
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
