package dev.codedeploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.cloudbees.plugins.credentials.CredentialsScope;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.jenkins.standins.StandInCredentials;
import dev.codedeploy.jenkins.testing.TestCluster;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobStatus;
import hudson.AbortException;
import hudson.EnvVars;
import java.time.Duration;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The step's execution, as Pipeline runs it (a stand-in context, the real non-blocking execution), against a
 * codedeploy cluster on embedded servers: a database, a master bucket, a git daemon and builder workers. These are
 * the paths that end before a rollout; {@link CodeDeployStepDeployTest} deploys through every stage.
 */
class CodeDeployExecutionTest {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);

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
        settings.setConfigFile(null);
        settings.setAdditionalYaml(null);
        settings.setDatabaseUrl(cluster.databaseUrl());
        settings.setDatabaseCredentialsId("codedeploy-db");
        settings.setBlobStoreEndpoint(cluster.blobStoreEndpoint().toString());
        settings.setBlobStoreBucket(cluster.bucket());
        settings.setBlobStoreCredentialsId("codedeploy-s3");
        settings.setZooKeeperConnectString(null);
        settings.setZooKeeperCredentialsId(null);
        settings.setDefaultRepoUrl(null);
        StandInCredentials.clear();
        // the global configuration's credentials in the System scope, where no build can see them
        StandInCredentials.add(StandInCredentials.usernamePassword(CredentialsScope.SYSTEM, "codedeploy-db", TestCluster.DATABASE_USER, ""));
        StandInCredentials.add(StandInCredentials.usernamePassword(CredentialsScope.SYSTEM, "codedeploy-s3", EmbeddedS3.ACCESS_KEY,
                EmbeddedS3.SECRET_KEY));
    }

    @AfterEach
    void stopWorkers() {
        cluster.stopWorkers();
    }

    @Test
    void aFailedBuildFailsTheStepWithTheBuildsError() throws Exception {
        cluster.startWorker();
        String sha = cluster.commitSpec(TestCluster.FAILING_SPEC);
        CodeDeployStep step = new CodeDeployStep(sha);
        step.setRepoUrl(cluster.repoUrl());
        TestStepContext context = new TestStepContext("app#3", new EnvVars());

        step.start(context).start();
        Throwable failure = context.awaitFailure(STEP_TIMEOUT);

        Job job = cluster.newestJob(sha);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failure).isInstanceOf(AbortException.class)
                .hasMessageStartingWith("codeDeploy: build " + job.id() + " of " + sha + " FAILED: ")
                .hasMessageContaining(job.error().lines().findFirst().orElseThrow());
        assertThat(context.log()).contains("[codeDeploy] FAILED build job " + job.id() + " FAILED");
    }

    @Test
    void aStepUsesItsOwnCredentialsAsTheBuildAndCannotReachTheSystemOnes() throws Exception {
        CodeDeployGlobalConfiguration.get().setDefaultRepoUrl(cluster.repoUrl());
        StandInCredentials.add(StandInCredentials.usernamePassword(CredentialsScope.GLOBAL, "team-db", TestCluster.DATABASE_USER, ""));
        // nobody builds it: the job stays queued, which shows the step reached the database with the team's account
        String sha = cluster.commit(Map.of("README", "queued with the team's own database account"));
        CodeDeployStep own = new CodeDeployStep(sha);
        own.setCredentialsId("team-db");
        TestStepContext ownContext = new TestStepContext("team/app#7", new EnvVars());
        StepExecution execution = own.start(ownContext);
        execution.start();

        await().atMost(STEP_TIMEOUT).until(() -> ownContext.log().contains("[codeDeploy] QUEUED"));
        stopFromAnotherThread(execution, new Exception("test done"));
        cluster.queue().cancel(cluster.newestJob(sha).id(), "test cleanup");

        // the global configuration's database credentials are System-scoped: a job naming them gets nothing
        CodeDeployStep system = new CodeDeployStep(sha);
        system.setCredentialsId("codedeploy-db");
        TestStepContext systemContext = new TestStepContext("team/app#8", new EnvVars());
        Long newestBefore = newestJobId();

        system.start(systemContext).start();

        assertThat(systemContext.awaitFailure(STEP_TIMEOUT)).isInstanceOf(AbortException.class)
                .hasMessageContaining("no credentials with id 'codedeploy-db'").hasMessageContaining("that this build may use");
        assertThat(newestJobId()).isEqualTo(newestBefore);
    }

    @Test
    void aBadShaFailsTheStepNamingTheProblemAndQueuesNothing() throws Exception {
        CodeDeployGlobalConfiguration.get().setDefaultRepoUrl(cluster.repoUrl());
        CodeDeployStep step = new CodeDeployStep("main");
        TestStepContext context = new TestStepContext("app#4", new EnvVars());
        Long newestBefore = newestJobId();

        step.start(context).start();
        Throwable failure = context.awaitFailure(STEP_TIMEOUT);

        assertThat(failure).isInstanceOf(AbortException.class).hasMessageStartingWith("codeDeploy: ").hasMessageContaining("'main'");
        assertThat(newestJobId()).isEqualTo(newestBefore);
    }

    @Test
    void anAbortStopsTheWaitAndCancelsTheRunningBuildWhenAsked() throws Exception {
        cluster.startWorker();
        String sha = cluster.commitSpec(TestCluster.SLOW_SPEC);
        CodeDeployStep step = new CodeDeployStep(sha);
        step.setRepoUrl(cluster.repoUrl());
        step.setCancelBuildOnAbort(true);
        TestStepContext context = new TestStepContext("app#5", new EnvVars());
        StepExecution execution = step.start(context);
        execution.start();
        await().atMost(STEP_TIMEOUT).until(() -> cluster.newestJob(sha) != null && cluster.newestJob(sha).status() == JobStatus.RUNNING);

        Exception cause = new Exception("aborted by a user");
        stopFromAnotherThread(execution, cause);

        assertThat(context.awaitFailure(STEP_TIMEOUT)).isSameAs(cause);
        // the step's own thread ended: what it threw was added to the stop cause
        await().atMost(Duration.ofSeconds(20)).until(() -> cause.getSuppressed().length == 1);
        assertThat(cause.getSuppressed()[0]).isInstanceOf(InterruptedException.class);
        assertThat(context.log()).contains("[codeDeploy] stopped waiting for " + sha + "; its codedeploy build was cancelled");
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.newestJob(sha).status() == JobStatus.CANCELLED);
        assertThat(cluster.newestJob(sha).cancelledBy()).contains("jenkins app#5");
    }

    @Test
    void anAbortStopsTheWaitAndLeavesTheQueuedBuildByDefault() throws Exception {
        String sha = cluster.commit(Map.of("README", "nobody builds this one"));
        CodeDeployStep step = new CodeDeployStep(sha);
        step.setRepoUrl(cluster.repoUrl());
        TestStepContext context = new TestStepContext("app#6", new EnvVars());
        StepExecution execution = step.start(context);
        execution.start();
        await().atMost(STEP_TIMEOUT).until(() -> context.log().contains("[codeDeploy] QUEUED"));

        Exception cause = new Exception("aborted by a user");
        stopFromAnotherThread(execution, cause);

        assertThat(context.awaitFailure(STEP_TIMEOUT)).isSameAs(cause);
        await().atMost(Duration.ofSeconds(20)).until(() -> cause.getSuppressed().length == 1);
        assertThat(cause.getSuppressed()[0]).isInstanceOf(InterruptedException.class);
        assertThat(context.log()).contains("[codeDeploy] stopped waiting for " + sha + "; its codedeploy build goes on");
        Job job = cluster.newestJob(sha);
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.cancelRequested()).isFalse();
        cluster.queue().cancel(job.id(), "test cleanup");
    }

    private static Long newestJobId() {
        Job newest = cluster.newestJob();
        return newest == null ? null : newest.id();
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
