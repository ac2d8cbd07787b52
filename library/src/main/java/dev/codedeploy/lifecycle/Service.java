package dev.codedeploy.lifecycle;

/**
 * The one lifecycle shape of every long-lived component (worker pool, monitor, replicator, region sync,
 * rollout driver, agent): {@link #start()} once, {@link #close()} once, state visible through {@link #state()}.
 * Entry points stop them on SIGTERM with {@link Shutdown#onSignal(String, AutoCloseable...)}.
 */
public interface Service extends AutoCloseable {

    /** Where a service is in its life. */
    enum State { LATENT, STARTED, CLOSED }

    /**
     * Starts the service's threads.
     *
     * @throws IllegalStateException naming the service and its state when started twice or after {@link #close()}
     * @throws RuntimeException         when starting failed: what it had acquired is released and the service is
     *                                  {@code CLOSED} (closing it again is a no-op)
     */
    void start();

    /**
     * Stops the service and waits for its threads. Idempotent: closing twice, or closing a service never started, is
     * a no-op, because entry points close from both their shutdown hook and their own {@code finally}.
     */
    @Override
    void close();

    /** The current state. */
    State state();
}
