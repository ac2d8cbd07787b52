package dev.codedeploy.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.jenkins.standins.StandInCredentials;
import dev.codedeploy.sandbox.cluster.SandboxCluster;
import dev.codedeploy.sandbox.cluster.SandboxOptions;
import hudson.EnvVars;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code codeDeploy sha} through every stage, against the whole system on embedded servers (one region with a host
 * agent and its seeder, {@code codedeploy server} as a process), configured the way an administrator would: the
 * global configuration points at the cluster's configuration file.
 */
class CodeDeployStepDeployTest {

    private static SandboxCluster cluster;

    @BeforeAll
    static void startTheSystem() throws Exception {
        cluster = SandboxCluster.start(Files.createTempDirectory("jenkins-deploy-"), SandboxOptions.DEMO.withRegions(1, 1),
                new PrintStream(System.out, true));
    }

    @AfterAll
    static void stopTheSystem() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCommitIsDeployedThroughEveryStageAndTheStepReturnsPerRegionCounts() throws Exception {
        CodeDeployGlobalConfiguration settings = CodeDeployGlobalConfiguration.get();
        settings.setConfigFile(cluster.configFile().toString());
        settings.setAdditionalYaml(null);
        settings.setDatabaseUrl(null);
        settings.setDatabaseCredentialsId(null);
        settings.setBlobStoreEndpoint(null);
        settings.setBlobStoreBucket(null);
        settings.setBlobStoreCredentialsId(null);
        settings.setZooKeeperConnectString(null);
        settings.setZooKeeperCredentialsId(null);
        settings.setDefaultRepoUrl(null);
        StandInCredentials.clear();
        String sha = cluster.repo().commit("deployed from Jenkins", Map.of("README", "hello from the step"));
        CodeDeployStep step = new CodeDeployStep(sha);
        TestStepContext context = new TestStepContext("team/app#21", new EnvVars(Map.of("GIT_URL", cluster.repoUrl())));

        StepExecution execution = step.start(context);
        assertThat(execution.start()).isFalse();
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) context.awaitResult(Duration.ofMinutes(8));

        assertThat(result.get("status")).isEqualTo("SUCCEEDED");
        assertThat(result.get("sha")).isEqualTo(sha);
        assertThat(result.get("environment")).isEqualTo(SandboxCluster.ENVIRONMENT);
        assertThat(result.get("regions")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("us-east", Map.of("hosts", 1, "onBuild", 1, "healthy", 1, "failed", 0));
        assertThat(result.get("timingsMillis")).asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsKeys("QUEUED", "BUILDING", "REPLICATING", "PUBLISHING", "ROLLING_OUT");
        Object build = result.get("buildId");
        assertThat(context.log())
                .contains("[codeDeploy] REPLICATING")
                .contains("[codeDeploy] PUBLISHING")
                .contains("[codeDeploy] ROLLING_OUT")
                .contains("[codeDeploy] SUCCEEDED every host runs build " + build + " healthy")
                .contains("region us-east: 1/1 hosts healthy on the build, 0 failed");
    }
}
