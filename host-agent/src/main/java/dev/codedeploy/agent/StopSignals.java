package dev.codedeploy.agent;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop. Without a handler the JVM runs its shutdown hooks and exits with 128 + the
 * signal (143 for SIGTERM), which systemd and the docs would read as a failure; handled, the agent closes and its
 * {@code main} returns 0.
 */
final class StopSignals {

    private StopSignals() {
    }

    /** Runs {@code onStop} (on the JVM's signal thread: it must return quickly) on SIGTERM and SIGINT. */
    static void handle(Runnable onStop) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> onStop.run());
        }
    }
}
