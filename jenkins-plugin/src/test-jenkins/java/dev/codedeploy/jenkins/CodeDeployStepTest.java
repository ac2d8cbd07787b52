package dev.codedeploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.jenkins.testing.TestCluster;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobStatus;
import hudson.model.Result;
import java.time.Duration;
import java.util.Map;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The step in a real Jenkins: Pipeline scripts, credentials from the credentials plugin, an abort from the executor. */
@WithJenkins
class CodeDeployStepTest {

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

    @AfterEach
    void stopWorkers() {
        cluster.stopWorkers();
    }

    @Test
    void everyFormOfTheStepDeploysAndReturnsTheResult(JenkinsRule r) throws Exception {
        configure(r);
        cluster.startWorker();
        String first = cluster.commit(Map.of("README", "first"));
        String second = cluster.commit(Map.of("README", "second"));
        String third = cluster.commit(Map.of("README", "third"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "app");
        p.setDefinition(new CpsFlowDefinition(
                "codeDeploy '" + first + "'\n"
                        + "codeDeploy('" + second + "')\n"
                        + "def r = codeDeploy sha: '" + third + "', environment: 'staging', waitForRollout: true,"
                        + " timeoutMinutes: 10, credentialsId: 'team-db'\n"
                        + "echo \"status=${r.status} build=${r.buildId} sha=${r.sha}\"", true));

        WorkflowRun b = r.buildAndAssertSuccess(p);

        r.assertLogContains("[codeDeploy] QUEUED queued build job", b);
        r.assertLogContains("[codeDeploy] SUCCEEDED: build " + cluster.newestJob(first).id() + " of " + first, b);
        r.assertLogContains("[codeDeploy] SUCCEEDED: build " + cluster.newestJob(second).id() + " of " + second, b);
        r.assertLogContains("status=SUCCEEDED build=" + cluster.newestJob(third).id() + " sha=" + third, b);
        assertThat(cluster.newestJob(third).requestedBy()).isEqualTo("jenkins app#1");
    }

    @Test
    void aJobCannotUseTheSystemCredentialsOfTheGlobalConfiguration(JenkinsRule r) throws Exception {
        configure(r);
        String sha = cluster.commit(Map.of("README", "not with the system's account"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "borrower");
        p.setDefinition(new CpsFlowDefinition("codeDeploy sha: '" + sha + "', credentialsId: 'codedeploy-db'", true));

        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);

        r.assertLogContains("codeDeploy: no credentials with id 'codedeploy-db' (the step's database credentials) that this build may use", b);
        assertThat(cluster.newestJob(sha)).isNull();
    }

    @Test
    void aFailedBuildFailsTheRunWithTheReason(JenkinsRule r) throws Exception {
        configure(r);
        cluster.startWorker();
        String sha = cluster.commitSpec(TestCluster.FAILING_SPEC);
        WorkflowJob p = r.createProject(WorkflowJob.class, "failing");
        p.setDefinition(new CpsFlowDefinition("codeDeploy '" + sha + "'", true));

        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);

        r.assertLogContains("codeDeploy: build " + cluster.newestJob(sha).id() + " of " + sha + " FAILED: build command exited with code 3", b);
    }

    @Test
    void aBadShaFailsTheRunNamingTheProblem(JenkinsRule r) throws Exception {
        configure(r);
        WorkflowJob p = r.createProject(WorkflowJob.class, "bad-sha");
        p.setDefinition(new CpsFlowDefinition("codeDeploy 'main'", true));

        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);

        r.assertLogContains("sha 'main' is not a commit SHA", b);
    }

    @Test
    void abortingTheRunStopsTheStepAndCancelsTheBuildWhenAsked(JenkinsRule r) throws Exception {
        configure(r);
        cluster.startWorker();
        String sha = cluster.commitSpec(TestCluster.SLOW_SPEC);
        WorkflowJob p = r.createProject(WorkflowJob.class, "aborted");
        p.setDefinition(new CpsFlowDefinition("codeDeploy sha: '" + sha + "', cancelBuildOnAbort: true", true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        r.waitForMessage("[codeDeploy] BUILDING", b);

        b.getExecutor().interrupt();

        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.newestJob(sha).status() == JobStatus.CANCELLED);
        Job job = cluster.newestJob(sha);
        assertThat(job.cancelledBy()).contains("jenkins aborted#1");
    }

    @Test
    void theGlobalConfigurationSurvivesTheConfigurationPage(JenkinsRule r) throws Exception {
        configure(r);
        CodeDeployGlobalConfiguration settings = CodeDeployGlobalConfiguration.get();
        settings.setAdditionalYaml("queue: {maxAttempts: 5}\n");

        r.configRoundtrip();

        CodeDeployGlobalConfiguration after = CodeDeployGlobalConfiguration.get();
        assertThat(after.getDatabaseUrl()).isEqualTo(cluster.databaseUrl());
        assertThat(after.getDatabaseCredentialsId()).isEqualTo("codedeploy-db");
        assertThat(after.getBlobStoreBucket()).isEqualTo(cluster.bucket());
        assertThat(after.getBlobStoreCredentialsId()).isEqualTo("codedeploy-s3");
        assertThat(after.getDefaultRepoUrl()).isEqualTo(cluster.repoUrl());
        assertThat(after.getAdditionalYaml()).contains("maxAttempts: 5");
    }

    private static void configure(JenkinsRule r) throws Exception {
        CredentialsStore store = CredentialsProvider.lookupStores(r.jenkins).iterator().next();
        // the global configuration's secrets in the System scope, where no job can see them
        store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.SYSTEM, "codedeploy-db",
                "codedeploy database", TestCluster.DATABASE_USER, ""));
        store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.SYSTEM, "codedeploy-s3",
                "codedeploy blob stores", EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY));
        // a team's own account, which its jobs name in the step
        store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "team-db",
                "a team's database account", TestCluster.DATABASE_USER, ""));
        CodeDeployGlobalConfiguration settings = CodeDeployGlobalConfiguration.get();
        settings.setDatabaseUrl(cluster.databaseUrl());
        settings.setDatabaseCredentialsId("codedeploy-db");
        settings.setBlobStoreEndpoint(cluster.blobStoreEndpoint().toString());
        settings.setBlobStoreBucket(cluster.bucket());
        settings.setBlobStoreCredentialsId("codedeploy-s3");
        settings.setDefaultRepoUrl(cluster.repoUrl());
    }
}
