package dev.codedeploy.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.testing.EmbeddedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The two fallbacks of {@link BuildSandbox}, run directly: user namespaces (a worker that is not root) and a new
 * session (where namespaces are not available). The root mode is {@link BuildIsolationTest}'s.
 */
class BuildProcessTest {

    private final Path work = EmbeddedServers.newFolder("build-process");

    private BuildProcess.Folders folders(String name) throws Exception {
        Path workspace = Files.createDirectories(work.resolve("workspaces").resolve(name));
        Path home = Files.createDirectories(work.resolve("sandboxes").resolve(name).resolve("home"));
        return new BuildProcess.Folders(workspace, home, work.resolve("sandboxes").resolve(name).resolve("tmp"));
    }

    private BuildProcess.Outcome run(BuildSandbox.Mode mode, String name, String script, Duration timeout, long maxLog) throws Exception {
        BuildSandbox sandbox = new BuildSandbox(mode, null, work);
        BuildProcess.Folders f = folders(name);
        sandbox.prepareFolders(f.workspace(), f.home(), f.tmp());
        return new BuildProcess(sandbox, maxLog).run(List.of("sh", "-c", script), f, Map.of(), timeout, work.resolve(name + ".log"));
    }

    @Test
    void inUserNamespacesADaemonDiesWithItsBuildAndOtherProcessesAreInvisible() throws Exception {
        String marker = "62" + (System.nanoTime() % 1000) + "." + (System.nanoTime() % 1_000_000);
        BuildProcess.Outcome outcome = run(BuildSandbox.Mode.USER, "user",
                "setsid sh -c 'exec sleep " + marker + "' >/dev/null 2>&1 </dev/null & ls /proc | grep -cE '^[0-9]+$'; ls " + work + " 2>&1 || true",
                Duration.ofSeconds(30), 1 << 20);
        assertThat(outcome.exitCode()).isZero();
        String log = Files.readString(work.resolve("user.log"));
        assertThat(Integer.parseInt(log.lines().findFirst().orElseThrow().trim())).isLessThan(10);
        assertThat(log).doesNotContain("workspaces");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> BuildIsolationTest.processesWith(marker).isEmpty());
    }

    @Test
    void inANewSessionTheWholeGroupIsKilledAtTheTimeout() throws Exception {
        String marker = "63" + (System.nanoTime() % 1000) + "." + (System.nanoTime() % 1_000_000);
        BuildProcess.Outcome outcome = run(BuildSandbox.Mode.PROCESS_GROUP, "group", "sleep " + marker + " & sleep 120",
                Duration.ofSeconds(2), 1 << 20);
        assertThat(outcome.timedOut()).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> BuildIsolationTest.processesWith(marker).isEmpty());
    }

    @Test
    void theLogKeepsItsCapAndCountsTheRest() throws Exception {
        BuildProcess.Outcome outcome = run(BuildSandbox.Mode.USER, "flood", "head -c 300000 /dev/zero | tr '\\000' 'z'", Duration.ofSeconds(30),
                100_000);
        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.droppedLogBytes()).isEqualTo(200_000);
        assertThat(Files.size(work.resolve("flood.log"))).isBetween(100_000L, 100_200L);
    }
}
