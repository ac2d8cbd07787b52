package dev.codedeploy.jenkins.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.EnvVars;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousResumeNotSupportedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** What the stand-ins do, where Jenkins' behaviour matters to the step: the signature check cannot see behaviour. */
class StandInBehaviourTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @AfterEach
    void clearAuthentication() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void environmentVariableNamesAreCaseInsensitiveAsInJenkins() {
        EnvVars env = new EnvVars(Map.of("GIT_URL", "https://git.example.com/app.git"));

        assertThat(env.get("git_url")).isEqualTo("https://git.example.com/app.git");
        env.put("Git_Url", "other");
        assertThat(env).hasSize(1).containsEntry("GIT_URL", "other");
    }

    @Test
    void aSynchronousStepRunsUnderTheAuthenticationOfItsCaller() throws Exception {
        Authentication alice = new UsernamePasswordAuthenticationToken("alice", "n/a");
        SecurityContextHolder.getContext().setAuthentication(alice);
        Context context = new Context();
        SynchronousNonBlockingStepExecution<Object> execution = new SynchronousNonBlockingStepExecution<>(context) {
            private static final long serialVersionUID = 1L;

            @Override
            protected Object run() {
                return SecurityContextHolder.getContext().getAuthentication();
            }
        };

        assertThat(execution.start()).isFalse();

        assertThat(context.outcome.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isSameAs(alice);
    }

    @Test
    void aSynchronousStepFailsOnResumeAsInWorkflowStepApi() throws Exception {
        Context context = new Context();
        SynchronousNonBlockingStepExecution<Object> execution = new SynchronousNonBlockingStepExecution<>(context) {
            private static final long serialVersionUID = 1L;

            @Override
            protected Object run() {
                return null;
            }
        };

        execution.onResume();

        assertThatThrownBy(() -> context.outcome.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SynchronousResumeNotSupportedException.class)
                .hasMessageStartingWith("The Pipeline step `?` cannot be resumed after a controller restart.");
    }

    /** A context that records the outcome and has nothing to give. */
    private static final class Context extends StepContext {
        private static final long serialVersionUID = 1L;
        private final transient CompletableFuture<Object> outcome = new CompletableFuture<>();

        @Override
        public <T> T get(Class<T> key) throws IOException, InterruptedException {
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
    }
}
