package dev.codedeploy.agent.p2p;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells the {@link MessageLoop}, when it has nothing to do, that a peer's data has just been read, so that it handles
 * the new messages now instead of after its idle pause (bt's loop polled blindly: up to 100 ms late when idle, and
 * never asleep when busy). {@link QuietReceiver} signals it after each read.
 */
final class DataArrival {

    private volatile boolean pending;
    private volatile Thread sleeper;

    /** Data was read: wakes the loop if it waits, or keeps it from waiting next time. */
    void signal() {
        pending = true;
        Thread waiting = sleeper;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    /** Waits up to {@code millis}, or less if data arrives meanwhile or has arrived since the last wait. */
    void await(long millis) {
        sleeper = Thread.currentThread();
        if (!pending) {
            // a signal between the check and the park leaves a permit, so the park returns at once
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(millis));
        }
        sleeper = null;
        pending = false;
    }
}
