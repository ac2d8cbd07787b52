package dev.codedeploy.ghaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.RegionCounts;
import dev.codedeploy.client.StageTiming;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the adapter writes for the runner: commands, masked output, the output file and the job summary. */
class WorkflowFilesTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final PrintStream raw = new PrintStream(stdout, true, StandardCharsets.UTF_8);
    private final Secrets secrets = new Secrets(raw);

    @Test
    void commandsAreEscapedAsTheRunnerReadsThem() {
        WorkflowCommands commands = new WorkflowCommands(raw);

        commands.error("codedeploy: failed, badly", "100% broken\nsecond line\r");
        commands.group("codedeploy: Building");
        commands.group("codedeploy: Publishing");
        commands.endGroup();
        commands.endGroup();

        assertThat(stdout.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "::error title=codedeploy%3A failed%2C badly::100%25 broken%0Asecond line%0D",
                "::group::codedeploy: Building",
                "::endgroup::",
                "::group::codedeploy: Publishing",
                "::endgroup::");
    }

    @Test
    void aSecretIsAnnouncedOnceLineByLineAndMaskedInWhatIsPrinted() {
        PrintStream masked = new PrintStream(new MaskingOutputStream(raw, secrets), true, StandardCharsets.UTF_8);

        secrets.add("s3cr3t-value");
        secrets.add("s3cr3t-value");
        secrets.add("line-one\nline-two");
        secrets.add("ab");
        masked.print("password is s3cr3t-");
        masked.println("value, then line-two and ab");
        masked.close();

        assertThat(stdout.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "::add-mask::s3cr3t-value",
                "::add-mask::line-one",
                "::add-mask::line-two",
                "password is ***, then *** and ab");
    }

    @Test
    void outputsUseTheDelimiterFormForSeveralLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("output");
        OutputFile outputs = new OutputFile(file, secrets);
        secrets.add("hidden-token");

        outputs.set("status", "FAILED");
        outputs.set("error", "build failed:\nghadelimiter_x\nhidden-token leaked");
        outputs.set("skipped", null);

        String text = Files.readString(file);
        assertThat(text).startsWith("status=FAILED\nerror<<ghadelimiter_");
        assertThat(CompositeActionRunner.parseOutputs(text)).containsExactly(
                Map.entry("status", "FAILED"),
                Map.entry("error", "build failed:\nghadelimiter_x\n*** leaked"));
    }

    @Test
    void theSummaryHasTheStagesWithTheirTimesAndARowPerRegion() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Deploy deploy = new Deploy(7, "production", SHA, "https://github.com/shop/app.git", "ci", "test", DeployState.FAILED, 42L, 3L,
                null, false, false, "wave 2 of us-east: 1 host failed its health check\n```\nhost-7: exit 1\n```", "failed", t0, t0, null,
                t0, "ab".repeat(32), 3L << 20,
                List.of(new StageTiming(StageTiming.Stage.QUEUED, t0, t0, 400), new StageTiming(StageTiming.Stage.BUILDING, t0, t0, 75_000),
                        new StageTiming(StageTiming.Stage.ROLLING_OUT, t0, t0, 30_000)),
                List.of(new RegionCounts("eu-west", 10, 10, 10, 0), new RegionCounts("us-east", 12, 4, 3, 1)), 99, "server-1");
        ActionInputs inputs = new ActionInputs(SHA, "production", URI.create("https://codedeploy.example.com"), "cd_token", true,
                Duration.ofMinutes(30), false, "https://github.com/shop/app.git", null, null, "test");

        String md = JobSummary.of(deploy, "FAILED", deploy.error(), inputs, 9L);

        assertThat(md).startsWith("## ❌ codedeploy: `0123456` to production: FAILED\n")
                .contains("| Artifact | sha256 `" + "ab".repeat(32) + "`, 3.0 MiB (3145728 bytes) |")
                .contains("| Queued | 0.4 s |\n| Building | 1 min 15 s |\n| Rolling out | 30.0 s |\n| **Total** | **1 min 45 s** |")
                .contains("| Region | Hosts | On the build | Healthy | Failed |")
                .contains("| eu-west | 10 | 10 | 10 | 0 |\n| us-east | 12 | 4 | 3 | 1 |")
                .contains("| Deploy | 7 (FAILED) |")
                .contains("| Release | version 3 |")
                .contains("| GitHub deployment | 9 |")
                .contains("### Error\n\n````text\nwave 2 of us-east: 1 host failed its health check\n```\nhost-7: exit 1\n```\n````\n");
    }
}
