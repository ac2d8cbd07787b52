package dev.codedeploy.lifecycle;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Guards {@link Service#start()} and {@link Service#close()} with a compare-and-set on the state, as Curator's
 * recipes do, so subclasses only say what starting and stopping mean.
 */
public abstract class AbstractService implements Service {

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);

    @Override
    public final void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException(getClass().getSimpleName() + " cannot be started: it is " + state.get());
        }
        doStart();
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

    /** True while started and not yet closed: loops check it to know when to stop. */
    protected final boolean isRunning() {
        return state.get() == State.STARTED;
    }

    /** Starts the threads; called once. */
    protected abstract void doStart();

    /** Stops the threads and waits for them; called once, only after {@link #doStart()}. */
    protected abstract void doClose();
}
