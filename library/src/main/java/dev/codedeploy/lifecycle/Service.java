package dev.codedeploy.lifecycle;

/**
 * The one lifecycle shape of every long-lived component (worker pool, monitor, replicator, region sync,
 * rollout driver, agent): {@link #start()} once, {@link #close()} once, state visible through {@link #state()}.
 */
public interface Service extends AutoCloseable {

    /** Where a service is in its life. */
    enum State { LATENT, STARTED, CLOSED }

    /**
     * Starts the service's threads.
     *
     * @throws IllegalStateException when started twice or after {@link #close()}
     */
    void start();

    /** Stops the service and waits for its threads; closing twice is a no-op. */
    @Override
    void close();

    /** The current state. */
    State state();
}
