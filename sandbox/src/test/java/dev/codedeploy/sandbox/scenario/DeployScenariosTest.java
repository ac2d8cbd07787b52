package dev.codedeploy.sandbox.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server-side deploys' scenarios, run as the sandbox runs them, with their RESULT lines checked. */
class DeployScenariosTest {

    @TempDir
    Path dir;

    @Test
    void badApiInputIsRefusedAndCreatesNothing() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new BadApiInputScenario(), dir, Map.of());
        assertThat(result).containsOnlyKeys("scenario", "ok", "cases", "refused", "created").containsEntry("ok", "true")
                .containsEntry("created", "0");
        assertThat(result.get("refused")).isEqualTo(result.get("cases"));
        assertThat(Integer.parseInt(result.get("cases"))).isGreaterThanOrEqualTo(15);
    }

    @Test
    void killedClientsChangeNothing() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new ClientKilledMidDeployScenario(), dir, Map.of());
        assertThat(result).containsExactly(Map.entry("scenario", "client-killed-mid-deploy"), Map.entry("ok", "true"),
                Map.entry("completed", "2/2"));
    }

    @Test
    void aKilledConductorsDeployIsTakenOverAndPublishedOnce() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new ConductorFailoverScenario(), dir, Map.of());
        assertThat(result).containsExactly(Map.entry("scenario", "conductor-failover"), Map.entry("ok", "true"),
                Map.entry("published_once", "true"), Map.entry("completed", "true"));
    }

    @Test
    void aStormOfDeploysRollsOutOneAtATimeAndTheNewestWins() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new DeployStormScenario(), dir, Map.of());
        assertThat(result).containsExactly(Map.entry("scenario", "deploy-storm"), Map.entry("ok", "true"), Map.entry("requested", "20"),
                Map.entry("stuck", "0"), Map.entry("concurrent_rollouts_max", "1"));
    }
}
