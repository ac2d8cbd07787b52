package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Stand-in of workflow-step-api's {@code SynchronousNonBlockingStepExecution}, with the same behaviour: {@link #run()}
 * runs on a pooled daemon thread under the authentication of the thread that started it (Jenkins' {@code ACL.as2},
 * which sets Spring Security's context as here), and its return value ends the call; {@link #stop} records the cause,
 * interrupts that thread and fails the call with the cause at once, and whatever {@code run()} throws afterwards is
 * added to the cause as a suppressed exception. It does not survive a restart: {@link #onResume()} fails the call with
 * {@link SynchronousResumeNotSupportedException}.
 *
 * @param <T> the return value's type
 */
public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {

    private static final long serialVersionUID = 1L;
    private static ExecutorService executorService;

    private transient volatile Future<?> task;
    private transient volatile String threadName;
    private transient volatile Throwable stopCause;

    protected SynchronousNonBlockingStepExecution(@NonNull StepContext context) {
        super(context);
    }

    /** The work of the step; its return value is the step's. */
    protected abstract T run() throws Exception;

    @Override
    public final boolean start() throws Exception {
        // Jenkins.getAuthentication2(): the caller's, or anonymous when none is set
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        task = executor().submit(() -> {
            threadName = Thread.currentThread().getName();
            try {
                T result;
                SecurityContext previous = SecurityContextHolder.getContext();
                SecurityContext context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(auth);
                SecurityContextHolder.setContext(context);
                try {
                    result = run();
                } finally {
                    SecurityContextHolder.setContext(previous);
                }
                getContext().onSuccess(result);
            } catch (Throwable x) {
                Throwable cause = stopCause;
                if (cause == null) {
                    getContext().onFailure(x);
                } else {
                    cause.addSuppressed(x);
                }
            }
        });
        return false;
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        if (task != null) {
            stopCause = cause;
            task.cancel(true);
        }
        super.stop(cause);
    }

    @Override
    public void onResume() {
        StepContext context = getContext();
        context.onFailure(new SynchronousResumeNotSupportedException(context));
    }

    @Override
    public @NonNull String getStatus() {
        return threadName == null ? "not yet scheduled" : "running in thread: " + threadName;
    }

    @Override
    public boolean blocksRestart() {
        return threadName != null;
    }

    private static synchronized ExecutorService executor() {
        if (executorService == null) {
            executorService = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, SynchronousNonBlockingStepExecution.class.getName());
                t.setDaemon(true);
                return t;
            });
        }
        return executorService;
    }
}
