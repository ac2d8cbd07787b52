package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;
import edu.umd.cs.findbugs.annotations.Nullable;
import java.io.IOException;
import java.io.Serializable;

/**
 * Stand-in of workflow-step-api's {@code StepContext}: the context of one step call. {@code onSuccess} ends the call
 * with a return value, {@code onFailure} (from {@link FutureCallback}) with an error. The real class has more members
 * (body invocation, {@code setResult}, {@code saveState}) that the plugin does not use.
 */
public abstract class StepContext implements FutureCallback<Object>, Serializable {

    private static final long serialVersionUID = 1L;

    /** A context object such as {@code Run}, {@code TaskListener} or {@code EnvVars}, or null when unavailable. */
    public abstract @Nullable <T> T get(Class<T> key) throws IOException, InterruptedException;

    @Override
    public abstract void onSuccess(@Nullable Object result);
}
