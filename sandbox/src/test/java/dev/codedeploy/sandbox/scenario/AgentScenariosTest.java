package dev.codedeploy.sandbox.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.sandbox.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the host-agent scenarios in this JVM (their agents are real processes) and checks their RESULT lines. */
class AgentScenariosTest {

    private static Result run(Scenario scenario, Map<String, String> options) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            Result result = scenario.run(new ScenarioContext(EmbeddedServers.newFolder(scenario.name()), out, new java.util.LinkedHashMap<>(options)));
            System.out.println(log.toString(StandardCharsets.UTF_8));
            System.out.println(result);
            return result;
        }
    }

    @Test
    void failedHealthRollback() throws Exception {
        Result result = run(new FailedHealthRollbackScenario(), Map.of("hosts", "3"));
        assertThat(result.toString()).isEqualTo("RESULT scenario=failed-health-rollback ok=true rolled_back=3/3 previous_serving=true");
    }

    @Test
    void diskFull() throws Exception {
        Result result = run(new DiskFullScenario(), Map.of("hosts", "2"));
        assertThat(result.toString()).isEqualTo("RESULT scenario=disk-full ok=true current_untouched=true clear_error=true");
    }

    @Test
    void agentCrashMidDownload() throws Exception {
        Result result = run(new AgentCrashMidDownloadScenario(), Map.of("hosts", "3"));
        assertThat(result.toString()).isEqualTo("RESULT scenario=agent-crash-mid-download ok=true resumed=3/3");
    }

    @Test
    void corruptDownload() throws Exception {
        Result result = run(new CorruptDownloadScenario(), Map.of("hosts", "3"));
        assertThat(result.toString()).isEqualTo("RESULT scenario=corrupt-download ok=true switched_to_corrupt=0");
    }

    @Test
    void hostileArchives(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Map<String, String> result = ScenarioRunner.run(new HostileArchiveScenario(), dir, Map.of("hosts", "2"));
        assertThat(result).containsEntry("scenario", "hostile-archive").containsEntry("ok", "true").containsEntry("escaped", "0")
                .containsEntry("retried_forever", "false");
    }
}
