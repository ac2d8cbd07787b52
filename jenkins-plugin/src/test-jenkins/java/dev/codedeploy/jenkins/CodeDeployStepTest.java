package dev.codedeploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.domains.Domain;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.jenkins.testing.TestCluster;
import hudson.model.Result;
import hudson.util.Secret;
import java.time.Duration;
import java.util.Map;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The step in a real Jenkins against a real {@code codedeploy server}: Pipeline scripts, the server's token from the
 * credentials plugin, an abort from the executor.
 */
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

    @Test
    void everyFormOfTheStepDeploysAndReturnsTheResult(JenkinsRule r) throws Exception {
        configure(r);
        String first = cluster.commit(Map.of("README", "first"));
        String second = cluster.commit(Map.of("README", "second"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "app");
        p.setDefinition(new CpsFlowDefinition(
                "codeDeploy '" + first + "'\n"
                        + "def r = codeDeploy sha: '" + second + "', environment: '" + TestCluster.ENVIRONMENT + "', waitForRollout: true,"
                        + " timeoutMinutes: 10, credentialsId: 'team-token'\n"
                        + "echo \"status=${r.status} deploy=${r.deployId} build=${r.buildId} sha=${r.sha}\"", true));

        WorkflowRun b = r.buildAndAssertSuccess(p);

        Deploy deployed = cluster.newestDeploy(second);
        r.assertLogContains("[codeDeploy] deploy " + cluster.newestDeploy(first).id() + " requested", b);
        r.assertLogContains("[codeDeploy] SUCCEEDED: deploy " + cluster.newestDeploy(first).id(), b);
        r.assertLogContains("status=SUCCEEDED deploy=" + deployed.id() + " build=" + deployed.jobId() + " sha=" + second, b);
        assertThat(deployed.reason()).isEqualTo("jenkins app#1");
    }

    @Test
    void aJobCannotUseTheSystemTokenOfTheGlobalConfiguration(JenkinsRule r) throws Exception {
        configure(r);
        String sha = cluster.commit(Map.of("README", "not with the system's token"));
        WorkflowJob p = r.createProject(WorkflowJob.class, "borrower");
        p.setDefinition(new CpsFlowDefinition("codeDeploy sha: '" + sha + "', credentialsId: 'codedeploy-token'", true));

        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);

        r.assertLogContains("codeDeploy: no 'Secret text' credentials with id 'codedeploy-token' (the step's codedeploy token) that this build may use", b);
        assertThat(cluster.newestDeploy(sha)).isNull();
    }

    @Test
    void aFailedBuildFailsTheRunNamingTheStageAndTheReason(JenkinsRule r) throws Exception {
        configure(r);
        String sha = cluster.commitSpec(TestCluster.FAILING_SPEC);
        WorkflowJob p = r.createProject(WorkflowJob.class, "failing");
        p.setDefinition(new CpsFlowDefinition("codeDeploy '" + sha + "'", true));

        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);

        Deploy deploy = cluster.newestDeploy(sha);
        r.assertLogContains("codeDeploy: deploy " + deploy.id() + " of " + sha + " to " + TestCluster.ENVIRONMENT + " FAILED in stage BUILDING", b);
        r.assertLogContains("exited with code 3", b);
    }

    @Test
    void aBadShaFailsTheRunNamingTheProblem(JenkinsRule r) throws Exception {
        configure(r);
        WorkflowJob p = r.createProject(WorkflowJob.class, "bad-sha");
        p.setDefinition(new CpsFlowDefinition("codeDeploy 'main'", true));

        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);

        r.assertLogContains("codeDeploy: deploy not requested: ", b);
        r.assertLogContains("'main'", b);
    }

    @Test
    void abortingTheRunStopsTheStepAndCancelsTheDeployWhenAsked(JenkinsRule r) throws Exception {
        configure(r);
        String sha = cluster.commitSpec(TestCluster.SLOW_SPEC);
        WorkflowJob p = r.createProject(WorkflowJob.class, "aborted");
        p.setDefinition(new CpsFlowDefinition("codeDeploy sha: '" + sha + "', cancelBuildOnAbort: true", true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        r.waitForMessage("[codeDeploy] BUILDING", b);

        b.getExecutor().interrupt();

        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));
        r.assertLogContains("the deploy was cancelled", b);
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.newestDeploy(sha).state() == DeployState.CANCELLED);
    }

    @Test
    void theGlobalConfigurationSurvivesTheConfigurationPage(JenkinsRule r) throws Exception {
        configure(r);

        r.configRoundtrip();

        CodeDeployGlobalConfiguration after = CodeDeployGlobalConfiguration.get();
        assertThat(after.getServerUrl()).isEqualTo(cluster.serverUrl());
        assertThat(after.getCredentialsId()).isEqualTo("codedeploy-token");
        assertThat(after.getDefaultRepoUrl()).isEqualTo(cluster.repoUrl());
    }

    private static void configure(JenkinsRule r) throws Exception {
        CredentialsStore store = CredentialsProvider.lookupStores(r.jenkins).iterator().next();
        // the global configuration's token in the System scope, where no job can see it
        store.addCredentials(Domain.global(), new StringCredentialsImpl(CredentialsScope.SYSTEM, "codedeploy-token",
                "codedeploy server token", Secret.fromString(cluster.token())));
        // a team's own token, which its jobs name in the step
        store.addCredentials(Domain.global(), new StringCredentialsImpl(CredentialsScope.GLOBAL, "team-token",
                "a team's codedeploy token", Secret.fromString(cluster.token())));
        CodeDeployGlobalConfiguration settings = CodeDeployGlobalConfiguration.get();
        settings.setServerUrl(cluster.serverUrl());
        settings.setCredentialsId("codedeploy-token");
        settings.setDefaultRepoUrl(cluster.repoUrl());
    }
}
