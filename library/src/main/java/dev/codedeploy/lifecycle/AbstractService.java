package dev.codedeploy.lifecycle;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Guards {@link Service#start()} and {@link Service#close()} with a compare-and-set on the state, as Curator's
 * recipes do, so subclasses only say what starting and stopping mean.
 *
 * <p>A second {@code start()} is refused with an {@link IllegalStateException} naming the service and its state.
 * {@code close()} is idempotent: entry points close a service both from their shutdown hook and when their
 * try-with-resources block ends, so the second close must be a no-op rather than an error. A {@code start()} whose
 * {@link #doStart()} throws calls {@link #doClose()} at once to release what it had acquired, leaves the service
 * {@code CLOSED} and rethrows; {@code doClose()} must therefore cope with a start that stopped half-way (fields still
 * null).
 */
public abstract class AbstractService implements Service {

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

    @Override
    public final void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            State now = state.get();
            throw new IllegalStateException(serviceName() + " cannot be started: it is " + now
                    + (now == State.STARTED ? " already (a service starts once)" : " (a closed service cannot start again)"));
        }
        try {
            doStart();
        } catch (RuntimeException | Error e) {
            if (state.compareAndSet(State.STARTED, State.CLOSED)) {
                try {
                    doClose();
                } catch (RuntimeException | Error cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    @Override
    public final void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            doClose();
        }
    }

    @Override
    public final State state() {
        return state.get();
    }

    /** The name messages give this service: its class's simple name unless overridden. */
    protected String serviceName() {
        return getClass().getSimpleName();
    }

    /** True while started and not yet closed: loops check it to know when to stop. */
    protected final boolean isRunning() {
        return state.get() == State.STARTED;
    }

    /** Starts the threads; called once. When it throws, {@link #doClose()} is called to undo what it did. */
    protected abstract void doStart();

    /**
     * Stops the threads and waits for them; called once, only after {@link #doStart()}, which may have failed
     * half-way: release only what was acquired.
     */
    protected abstract void doClose();
}
