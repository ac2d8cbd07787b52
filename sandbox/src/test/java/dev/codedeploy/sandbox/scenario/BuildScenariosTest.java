package dev.codedeploy.sandbox.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build pipeline's scenarios, run as the sandbox runs them, with real worker processes. */
class BuildScenariosTest {

    @TempDir
    Path dir;

    @Test
    void badInputGivesAClearErrorForEveryCase() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new BadInputScenario(), dir, Map.of());
        assertThat(result).containsEntry("scenario", "bad-input").containsEntry("ok", "true");
        assertThat(result.get("clear_errors")).isEqualTo(result.get("cases"));
        assertThat(Integer.parseInt(result.get("cases"))).isGreaterThanOrEqualTo(10);
    }

    @Test
    void killedWorkersLoseNothingAndBuildNothingTwice() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new WorkerCrashScenario(), dir, Map.of("trials", "10"));
        assertThat(result).containsEntry("ok", "true").containsEntry("lost", "0").containsEntry("duplicates", "0")
                .containsEntry("trials", "10");
    }

    @Test
    void aThawedZombieWorkerHasEveryStaleWriteRejected() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new ZombieWorkerScenario(), dir, Map.of());
        assertThat(result).containsEntry("ok", "true");
        String[] ratio = result.get("stale_writes_rejected").split("/");
        assertThat(ratio[0]).isEqualTo(ratio[1]);
        assertThat(Integer.parseInt(ratio[0])).isPositive();
    }

    @Test
    void aHostileBuildSeesNoSecretLeavesNoDaemonAndItsLogIsCapped() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new HostileBuildScenario(), dir, Map.of());
        assertThat(result).containsEntry("scenario", "hostile-build").containsEntry("ok", "true").containsEntry("secrets_seen", "0")
                .containsEntry("daemons_left", "0").containsEntry("log_capped", "true").containsEntry("job_released", "true");
    }
}
