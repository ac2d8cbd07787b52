package dev.codedeploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.cloudbees.plugins.credentials.CredentialsScope;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.jenkins.standins.StandInCredentials;
import dev.codedeploy.jenkins.testing.TestCluster;
import hudson.AbortException;
import hudson.EnvVars;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The step's execution, as Pipeline runs it (a stand-in context, the real non-blocking execution), against a real
 * {@code codedeploy server} on embedded servers, configured as an administrator would: the server's URL, and its
 * token in "Secret text" credentials. The step holds nothing else.
 */
class CodeDeployExecutionTest {

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);
    private static final String SYSTEM_TOKEN_ID = "codedeploy-token";

    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void configure() {
        CodeDeployGlobalConfiguration settings = CodeDeployGlobalConfiguration.get();
        settings.setServerUrl(cluster.serverUrl());
        settings.setCredentialsId(SYSTEM_TOKEN_ID);
        settings.setDefaultRepoUrl(null);
        StandInCredentials.clear();
        // the global configuration's token in the System scope, where no build can see it
        StandInCredentials.add(StandInCredentials.secretText(CredentialsScope.SYSTEM, SYSTEM_TOKEN_ID, cluster.token()));
    }

    @Test
    void aCommitIsDeployedThroughEveryStageWithTheStepsOwnTokenAndTheStepReturnsTheDeploy() throws Exception {
        StandInCredentials.add(StandInCredentials.secretText(CredentialsScope.GLOBAL, "team-token", cluster.token()));
        String sha = cluster.commit(Map.of("README", "deployed from Jenkins"));
        CodeDeployStep step = new CodeDeployStep(sha);
        step.setCredentialsId("team-token");
        TestStepContext context = new TestStepContext("team/app#21", new EnvVars(Map.of("GIT_URL", cluster.repoUrl())));

        StepExecution execution = step.start(context);
        assertThat(execution.start()).isFalse();
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) context.awaitResult(STEP_TIMEOUT);

        Deploy deploy = cluster.newestDeploy(sha);
        assertThat(deploy.state()).isEqualTo(DeployState.SUCCEEDED);
        assertThat(deploy.reason()).isEqualTo("jenkins team/app#21");
        assertThat(deploy.repository()).isEqualTo(cluster.repoUrl());
        assertThat(result).containsEntry("deployId", deploy.id()).containsEntry("status", "SUCCEEDED").containsEntry("state", "SUCCEEDED")
                .containsEntry("buildId", deploy.jobId()).containsEntry("jobId", deploy.jobId()).containsEntry("sha", sha)
                .containsEntry("environment", TestCluster.ENVIRONMENT).containsEntry("releaseVersion", deploy.releaseVersion())
                .containsEntry("artifactSha256", deploy.artifactSha256());
        assertThat(result.get("regions")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry(TestCluster.REGION, Map.of("hosts", 1, "onBuild", 1, "healthy", 1, "failed", 0));
        assertThat(result.get("timingsMillis")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsKeys("QUEUED", "BUILDING", "REPLICATING", "PUBLISHING", "ROLLING_OUT");
        assertThat(context.log())
                .contains("[codeDeploy] deploy " + deploy.id() + " requested")
                .contains("[codeDeploy] BUILDING")
                .contains("[codeDeploy] REPLICATING")
                .contains("[codeDeploy] ROLLING_OUT")
                .contains("[codeDeploy] SUCCEEDED every host runs build " + deploy.jobId() + " healthy")
                .contains("region " + TestCluster.REGION + ": 1/1 hosts healthy on the build, 0 failed");
    }

    @Test
    void withoutWaitingForTheRolloutTheStepReturnsOnceTheReleaseIsPublished() throws Exception {
        String sha = cluster.commit(Map.of("README", "not waited for"));
        CodeDeployStep step = new CodeDeployStep(sha);
        step.setRepoUrl(cluster.repoUrl());
        step.setWaitForRollout(false);
        TestStepContext context = new TestStepContext("app#22", new EnvVars());

        step.start(context).start();
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) context.awaitResult(STEP_TIMEOUT);

        assertThat(result.get("status")).isEqualTo("SUCCEEDED");
        assertThat(result.get("state")).isIn("ROLLING_OUT", "SUCCEEDED");
        assertThat(result.get("releaseVersion")).isNotNull();
        assertThat(context.log()).contains("[codeDeploy] ROLLING_OUT");
        // the deploy goes on, on the server, without the step
        await().atMost(STEP_TIMEOUT).until(() -> cluster.newestDeploy(sha).state() == DeployState.SUCCEEDED);
    }

    @Test
    void aFailedBuildFailsTheStepNamingTheStageAndTheBuildsError() throws Exception {
        String sha = cluster.commitSpec(TestCluster.FAILING_SPEC);
        CodeDeployStep step = new CodeDeployStep(sha);
        step.setRepoUrl(cluster.repoUrl());
        TestStepContext context = new TestStepContext("app#3", new EnvVars());

        step.start(context).start();
        Throwable failure = context.awaitFailure(STEP_TIMEOUT);

        Deploy deploy = cluster.newestDeploy(sha);
        assertThat(deploy.state()).isEqualTo(DeployState.FAILED);
        assertThat(deploy.error()).contains("exited with code 3");
        assertThat(failure).isInstanceOf(AbortException.class)
                .hasMessage("codeDeploy: deploy " + deploy.id() + " of " + sha + " to " + TestCluster.ENVIRONMENT + " FAILED in stage BUILDING"
                        + " (build " + deploy.jobId() + "): " + deploy.error());
        assertThat(context.log()).contains("[codeDeploy] FAILED");
    }

    @Test
    void aBadShaIsRefusedByTheServerNamingTheFieldAndNothingIsCreated() throws Exception {
        CodeDeployGlobalConfiguration.get().setDefaultRepoUrl(cluster.repoUrl());
        CodeDeployStep step = new CodeDeployStep("main");
        TestStepContext context = new TestStepContext("app#4", new EnvVars());
        Deploy newestBefore = cluster.newestDeploy();

        step.start(context).start();

        assertThat(context.awaitFailure(STEP_TIMEOUT)).isInstanceOf(AbortException.class)
                .hasMessageStartingWith("codeDeploy: deploy not requested: ").hasMessageContaining("'main'").hasMessageContaining("field sha");
        assertThat(id(cluster.newestDeploy())).isEqualTo(id(newestBefore));
    }

    @Test
    void aStepCannotUseTheSystemScopedTokenOfTheGlobalConfigurationNorAWrongOne() throws Exception {
        String sha = cluster.commit(Map.of("README", "not with the system's token"));
        CodeDeployStep system = new CodeDeployStep(sha);
        system.setRepoUrl(cluster.repoUrl());
        system.setCredentialsId(SYSTEM_TOKEN_ID);
        TestStepContext systemContext = new TestStepContext("team/app#8", new EnvVars());

        system.start(systemContext).start();

        assertThat(systemContext.awaitFailure(STEP_TIMEOUT)).isInstanceOf(AbortException.class)
                .hasMessageContaining("no 'Secret text' credentials with id '" + SYSTEM_TOKEN_ID + "'").hasMessageContaining("that this build may use");

        StandInCredentials.add(StandInCredentials.secretText(CredentialsScope.GLOBAL, "stale-token", "cd_not-a-token-of-this-server"));
        CodeDeployStep stale = new CodeDeployStep(sha);
        stale.setRepoUrl(cluster.repoUrl());
        stale.setCredentialsId("stale-token");
        TestStepContext staleContext = new TestStepContext("team/app#9", new EnvVars());

        stale.start(staleContext).start();

        assertThat(staleContext.awaitFailure(STEP_TIMEOUT)).isInstanceOf(AbortException.class)
                .hasMessageStartingWith("codeDeploy: deploy not requested: ").hasMessageContaining("HTTP 401")
                .hasMessageNotContaining("cd_not-a-token-of-this-server");
        assertThat(cluster.newestDeploy(sha)).isNull();
    }

    @Test
    void anAbortStopsFollowingAndCancelsTheDeployWhenAsked() throws Exception {
        String sha = cluster.commitSpec(TestCluster.SLOW_SPEC);
        TestStepContext context = new TestStepContext("app#5", new EnvVars());

        abortWhileBuilding(sha, true, context);

        Deploy deploy = cluster.newestDeploy(sha);
        assertThat(context.log()).contains("[codeDeploy] stopped following deploy " + deploy.id() + " of " + sha + "; the deploy was cancelled");
        await().atMost(STEP_TIMEOUT).until(() -> cluster.newestDeploy(sha).state() == DeployState.CANCELLED);
        // the server names the token that cancelled it
        assertThat(cluster.newestDeploy(sha).error()).startsWith("cancelled by sandbox");
    }

    @Test
    void anAbortStopsFollowingAndLeavesTheDeployToTheServerByDefault() throws Exception {
        String sha = cluster.commitSpec(TestCluster.SLOW_SPEC);
        TestStepContext context = new TestStepContext("app#6", new EnvVars());

        abortWhileBuilding(sha, false, context);

        Deploy deploy = cluster.newestDeploy(sha);
        assertThat(context.log()).contains("[codeDeploy] stopped following deploy " + deploy.id() + " of " + sha
                + "; the deploy goes on, on the server (codedeploy follow " + deploy.id() + " attaches to it)");
        assertThat(deploy.state()).isEqualTo(DeployState.BUILDING);
        assertThat(deploy.cancelRequested()).isFalse();
        cluster.client().cancel(deploy.id(), "test cleanup");
        await().atMost(STEP_TIMEOUT).until(() -> cluster.newestDeploy(sha).isFinal());
    }

    /**
     * Starts the step on {@code sha}, aborts it (as Jenkins does) once the log shows the build running, and checks that
     * the step's thread ended at once, interrupted, failing the call with the abort's cause.
     */
    private static void abortWhileBuilding(String sha, boolean cancelOnAbort, TestStepContext context) throws Exception {
        CodeDeployStep step = new CodeDeployStep(sha);
        step.setRepoUrl(cluster.repoUrl());
        step.setCancelBuildOnAbort(cancelOnAbort);
        StepExecution execution = step.start(context);
        execution.start();
        await().atMost(STEP_TIMEOUT).until(() -> context.log().contains("[codeDeploy] BUILDING"));

        Exception cause = new Exception("aborted by a user");
        stopFromAnotherThread(execution, cause);

        assertThat(context.awaitFailure(STEP_TIMEOUT)).isSameAs(cause);
        // the step's own thread ended: what it threw was added to the stop cause
        await().atMost(Duration.ofSeconds(30)).until(() -> cause.getSuppressed().length == 1);
        assertThat(cause.getSuppressed()[0]).isInstanceOf(InterruptedException.class);
    }

    private static Long id(Deploy deploy) {
        return deploy == null ? null : deploy.id();
    }

    private static void stopFromAnotherThread(StepExecution execution, Throwable cause) throws InterruptedException {
        // as Jenkins does when the build is aborted: stop() comes from another thread than the step's
        Thread stopper = new Thread(() -> {
            try {
                execution.stop(cause);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "abort");
        stopper.start();
        stopper.join(Duration.ofSeconds(10).toMillis());
        assertThat(stopper.isAlive()).isFalse();
    }
}
