package dev.codedeploy.jenkins;

import hudson.EnvVars;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * What Pipeline gives a step, for one call: a run, a log that the test reads back, the run's environment, and the
 * call's outcome ({@code onSuccess} or {@code onFailure}).
 */
final class TestStepContext extends StepContext {

    private static final long serialVersionUID = 1L;

    private final transient TestRun run;
    private final transient TestListener listener = new TestListener();
    private final transient EnvVars env;
    private final transient CompletableFuture<Object> outcome = new CompletableFuture<>();

    TestStepContext(String runId, EnvVars env) {
        this.run = TestRun.of(runId);
        this.env = env;
    }

    @Override
    public <T> T get(Class<T> key) {
        if (key == Run.class) {
            return key.cast(run);
        }
        if (key == TaskListener.class) {
            return key.cast(listener);
        }
        if (key == EnvVars.class) {
            return key.cast(env);
        }
        return null;
    }

    @Override
    public void onSuccess(Object result) {
        outcome.complete(result);
    }

    @Override
    public void onFailure(Throwable t) {
        outcome.completeExceptionally(t);
    }

    /** The return value of the step; fails when the step failed or did not end in time. */
    Object awaitResult(Duration timeout) throws Exception {
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the step failed; its log:\n" + log(), e.getCause());
        }
    }

    /** Why the step failed; fails when it succeeded or did not end in time. */
    Throwable awaitFailure(Duration timeout) throws Exception {
        try {
            Object result = outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("the step succeeded with " + result + "; its log:\n" + log());
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** True once the step ended. */
    boolean isDone() {
        return outcome.isDone();
    }

    /** The run the step belongs to. */
    TestRun run() {
        return run;
    }

    /** The build log so far. */
    String log() {
        return listener.text();
    }

    /** A build log kept in memory. */
    static final class TestListener implements TaskListener {
        private static final long serialVersionUID = 1L;
        private final transient ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final transient PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        @Override
        public PrintStream getLogger() {
            return out;
        }

        String text() {
            synchronized (out) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** A job with no features, as the type parameter of {@link TestRun}. */
    abstract static class TestJob extends Job<TestJob, TestRun> {
        TestJob() {
            super(null, "test");
        }
    }

    /** A run known by its id, {@code folder/job#12}. */
    static final class TestRun extends Run<TestJob, TestRun> {
        private final String id;

        private TestRun(String id) throws IOException {
            super(null);
            this.id = id;
        }

        static TestRun of(String id) {
            try {
                return new TestRun(id);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String getExternalizableId() {
            return id;
        }
    }
}
