package dev.codedeploy.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.testing.EmbeddedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hooks and health-check commands see the environment they are given, never the agent's own. */
class CommandRunnerTest {

    private final Path work = EmbeddedServers.newFolder("hooks");

    @Test
    void aHookDoesNotSeeTheAgentsEnvironment() throws Exception {
        // surefire gives this JVM ZK_AGENT_PASSWORD, as an agent started with ${ZK_AGENT_PASSWORD} in its file has it
        assertThat(System.getenv("ZK_AGENT_PASSWORD")).isNotNull();
        Map<String, String> env = new java.util.LinkedHashMap<>(new HookEnvironment(List.of("EXTRA_ALLOWED")).from(
                Map.of("PATH", System.getenv("PATH"), "ZK_AGENT_PASSWORD", "x", "EXTRA_ALLOWED", "yes")));
        env.put("CODEDEPLOY_HOST", "host-a");
        Path log = work.resolve("env.log");

        CommandRunner.Outcome outcome = CommandRunner.run(List.of("env"), work, env, Duration.ofSeconds(10), log);

        assertThat(outcome.succeeded()).as(outcome.describe()).isTrue();
        String seen = Files.readString(log);
        assertThat(seen).contains("CODEDEPLOY_HOST=host-a").contains("EXTRA_ALLOWED=yes").contains("PATH=")
                .doesNotContain("ZK_AGENT_PASSWORD").doesNotContain("agent-secret-from-the-environment");
    }

    @Test
    void theBaseEnvironmentTakesOnlyAllowedNames() {
        Map<String, String> env = new HookEnvironment(null).from(Map.of("PATH", "/bin", "LANG", "C.UTF-8", "AWS_SECRET_ACCESS_KEY", "s",
                "ZK_AGENT_PASSWORD", "p"));
        assertThat(env).containsOnlyKeys("PATH", "LANG");
    }
}
