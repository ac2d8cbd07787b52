package dev.codedeploy.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.codedeploy.agent.testing.AgentFixture;
import dev.codedeploy.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code codedeploy-agent} as a process, as systemd runs it. */
class AgentProcessTest {

    private final AgentFixture region = new AgentFixture();

    @AfterEach
    void close() {
        region.close();
    }

    @Test
    void sigtermStopsTheAgentWithExitCodeZero() throws Exception {
        Path config = region.work.resolve("agent.yml");
        // JSON is YAML: the agent reads it with its usual loader
        Json.MAPPER.copy().disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .writeValue(config.toFile(), region.config("host-term", AgentConfig.Distribution.BLOB, null));
        Path log = region.work.resolve("agent.log");
        Process agent = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(), "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("agent ready") || !agent.isAlive());
            assertThat(agent.isAlive()).as("the agent runs; its output:%n%s", Files.readString(log)).isTrue();

            agent.destroy(); // SIGTERM
            assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(agent.exitValue()).as("exit code after SIGTERM; output:%n%s", Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("agent stopped");
        } finally {
            agent.destroyForcibly();
        }
    }
}
