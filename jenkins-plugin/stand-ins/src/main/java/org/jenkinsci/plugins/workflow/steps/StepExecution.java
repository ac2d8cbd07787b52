package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;

/**
 * Stand-in of workflow-step-api's {@code StepExecution}: one running call of a step. As in the real class the context
 * is a plain (serialized, not final) field: Pipeline injects it into executions made with the deprecated no-argument
 * constructor, and {@link #getContext()} fails when nothing set it.
 */
public abstract class StepExecution implements Serializable {

    private static final long serialVersionUID = 1L;

    private StepContext context;

    /** An execution whose context Pipeline injects (deprecated there: pass the context). */
    @Deprecated
    protected StepExecution() {
    }

    protected StepExecution(@NonNull StepContext context) {
        this.context = context;
    }

    /** The call's context. */
    public @NonNull StepContext getContext() {
        if (context == null) {
            throw new IllegalStateException("you must either pass in a StepContext to the StepExecution constructor, or have the StepExecution be created automatically");
        }
        return context;
    }

    /** Starts the call; true when it already ended (its result reported to the context). */
    public abstract boolean start() throws Exception;

    /** Asked to stop (the build was aborted): by default fails the call with {@code cause} at once. */
    public void stop(@NonNull Throwable cause) throws Exception {
        getContext().onFailure(cause);
    }

    /** Called when the execution is loaded again after a controller restart. */
    public void onResume() {
    }

    /** What the call is doing now, for diagnostics. */
    public @CheckForNull String getStatus() {
        return null;
    }

    /** True when a restart should wait for this call. */
    public boolean blocksRestart() {
        return false;
    }
}
