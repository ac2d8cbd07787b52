package dev.codedeploy.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.codedeploy.testing.EmbeddedServers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthCheckerTest {

    private final Path folder = EmbeddedServers.newFolder("health");
    private final Path log = folder.resolve("logs/health.log");

    @Test
    void aCommandRunsInTheReleaseFolderWithTheAgentsVariables() throws Exception {
        Files.createDirectories(folder.resolve("bin"));
        Files.writeString(folder.resolve("bin/check"), "#!/bin/sh\necho \"build $CODEDEPLOY_BUILD_ID in $(pwd)\"\n");
        folder.resolve("bin/check").toFile().setExecutable(true);
        HealthCheck check = new CommandHealthCheck(List.of("bin/check"), folder, Map.of("CODEDEPLOY_BUILD_ID", "42"), Duration.ofSeconds(10), log);
        HealthCheck.Result result = HealthChecker.run(check, 3, Duration.ofMillis(10), "build 42");
        assertThat(result.healthy()).isTrue();
        assertThat(result.detail()).contains("build 42 in " + folder.toRealPath());
        assertThat(Files.readString(log)).contains("$ bin/check").contains("build 42");
    }

    @Test
    void aFailingCommandIsTriedAgainAndReportsItsLastOutput() {
        AtomicInteger attempts = new AtomicInteger();
        HealthCheck failing = new CommandHealthCheck(List.of("sh", "-c", "echo not ready; exit 3"), folder, Map.of(), Duration.ofSeconds(10), log);
        HealthCheck counted = new HealthCheck() {
            @Override
            public Result attempt() {
                attempts.incrementAndGet();
                return failing.attempt();
            }

            @Override
            public String describe() {
                return failing.describe();
            }
        };
        HealthCheck.Result result = HealthChecker.run(counted, 3, Duration.ofMillis(10), "build 1");
        assertThat(result.healthy()).isFalse();
        assertThat(attempts).hasValue(3);
        assertThat(result.detail()).contains("failed 3 time(s)").contains("exited with 3").contains("not ready");
    }

    @Test
    void aCommandThatHangsIsKilledAtItsTimeout() {
        HealthCheck hanging = new CommandHealthCheck(List.of("sleep", "30"), folder, Map.of(), Duration.ofMillis(300), log);
        HealthCheck.Result result = hanging.attempt();
        assertThat(result.healthy()).isFalse();
        assertThat(result.detail()).contains("timed out");
        HealthCheck missing = new CommandHealthCheck(List.of("bin/none"), folder, Map.of(), Duration.ofSeconds(1), log);
        assertThat(missing.attempt().detail()).contains("could not start");
    }

    @Test
    void anHttpCheckWantsA2xxAnswer() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            int status = calls.incrementAndGet() < 3 ? 503 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
            HealthCheck check = new HttpHealthCheck(url, Duration.ofSeconds(5));
            assertThat(check.attempt().detail()).contains("503");
            assertThat(HealthChecker.run(check, 5, Duration.ofMillis(10), "build 1").healthy()).isTrue();
            assertThat(calls).hasValue(3);
        } finally {
            server.stop(0);
        }
        HealthCheck refused = new HttpHealthCheck(URI.create("http://127.0.0.1:1/health"), Duration.ofSeconds(2));
        assertThat(refused.attempt().healthy()).isFalse();
    }
}
