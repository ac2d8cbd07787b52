package dev.codedeploy.sandbox.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.sandbox.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs the rollout scenarios in-process and checks their RESULT lines. */
class RolloutScenariosTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "zk-session-expiry  | stale_nodes=0",
            "unauthorized-write | denied=true",
            "bad-release        | hosts_acted=0"})
    void scenarioEndsWithItsResultLine(String name, String expected) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Result result = Scenarios.named(name).orElseThrow().run(new ScenarioContext(dir, out, Map.of()));
        String line = result.toString();
        assertThat(line).as(bytes.toString(StandardCharsets.UTF_8)).startsWith("RESULT scenario=" + name + " ok=true").contains(expected);
        Map<String, String> values = Result.parse(line);
        if (name.equals("zk-session-expiry")) {
            String[] recovered = values.get("recovered").split("/");
            assertThat(recovered[0]).isEqualTo(recovered[1]);
            assertThat(values).containsOnlyKeys("scenario", "ok", "recovered", "stale_nodes");
        }
    }
}
