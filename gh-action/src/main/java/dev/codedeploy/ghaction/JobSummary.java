package dev.codedeploy.ghaction;

import dev.codedeploy.DeployResult;
import dev.codedeploy.DeployStage;
import dev.codedeploy.RegionResult;
import dev.codedeploy.config.ByteSizes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The Markdown job summary, appended to the file named by {@code GITHUB_STEP_SUMMARY}: the outcome, the commit and
 * build, the stages with how long each took, one row per region, and the error. GitHub shows it on the run's page.
 */
final class JobSummary {

    /** GitHub keeps 1 MiB of summary per step; the error is cut well below that. */
    private static final int MAX_ERROR_CHARS = 20_000;

    private JobSummary() {
    }

    /**
     * The summary of a deploy that ran.
     *
     * @param result  how it ended (for a timeout: where it was)
     * @param status  the {@code status} output: SUCCEEDED, FAILED, CANCELLED or TIMED_OUT
     * @param inputs  what was asked
     * @param deploymentId the GitHub deployment, or null
     */
    static String of(DeployResult result, String status, ActionInputs inputs, Long deploymentId) {
        StringBuilder md = new StringBuilder();
        md.append("## ").append(icon(status)).append(" codedeploy: `").append(result.sha(), 0, 7).append("` to ")
                .append(result.environment()).append(": ").append(status).append("\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| Commit | `").append(result.sha()).append("` |\n");
        md.append("| Environment | ").append(result.environment()).append(" |\n");
        md.append("| Build | ").append(result.buildId()).append(" |\n");
        if (result.artifactSha256() != null) {
            md.append("| Artifact | sha256 `").append(result.artifactSha256()).append("`")
                    .append(result.artifactSize() == null ? "" : ", " + size(result.artifactSize())).append(" |\n");
        }
        md.append("| Repository | ").append(inputs.repoUrl()).append(" |\n");
        md.append("| Waited for the rollout | ").append(inputs.waitForRollout() ? "yes" : "no").append(" |\n");
        if (deploymentId != null) {
            md.append("| GitHub deployment | ").append(deploymentId).append(" |\n");
        }
        md.append("\n### Stages\n\n| Stage | Took |\n|---|--:|\n");
        Duration total = Duration.ZERO;
        for (DeployStage stage : DeployStage.values()) {
            Duration took = result.timings().get(stage);
            if (took != null) {
                md.append("| ").append(stageName(stage)).append(" | ").append(duration(took)).append(" |\n");
                total = total.plus(took);
            }
        }
        md.append("| **Total** | **").append(duration(total)).append("** |\n");
        md.append("\n### Regions\n\n");
        if (result.regions().isEmpty()) {
            md.append("No region reported hosts for this build.\n");
        } else {
            md.append("| Region | Hosts | On the build | Healthy | Failed |\n|---|--:|--:|--:|--:|\n");
            for (RegionResult region : result.regions()) {
                md.append("| ").append(region.region()).append(" | ").append(region.hosts()).append(" | ").append(region.onBuild())
                        .append(" | ").append(region.healthy()).append(" | ").append(region.failed()).append(" |\n");
            }
        }
        if (result.error() != null && !result.error().isBlank()) {
            md.append("\n### Error\n\n").append(codeBlock(result.error()));
        }
        return md.toString();
    }

    /** The summary of a run that stopped before a deploy started (bad input, unreachable database, GitHub refused). */
    static String ofError(String title, String message) {
        return "## ❌ codedeploy: " + title + "\n\n" + codeBlock(message);
    }

    /** Appends {@code markdown} to {@code file}; without a file (outside Actions) nothing is written. */
    static void append(Path file, String markdown, Secrets secrets) {
        if (file == null) {
            return;
        }
        try {
            Files.writeString(file, secrets.mask(markdown) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the job summary to GITHUB_STEP_SUMMARY " + file + ": " + e.getMessage(), e);
        }
    }

    static String stageName(DeployStage stage) {
        String name = stage.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    static String duration(Duration d) {
        long millis = d.toMillis();
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = d.toSeconds();
        return seconds / 60 + " min " + seconds % 60 + " s";
    }

    private static String size(long bytes) {
        return bytes < 1024 ? bytes + " bytes" : ByteSizes.format(bytes) + " (" + bytes + " bytes)";
    }

    private static String icon(String status) {
        return switch (status) {
            case "SUCCEEDED" -> "✅";
            case "CANCELLED" -> "⏹️";
            case "TIMED_OUT" -> "⏱️";
            default -> "❌";
        };
    }

    private static String codeBlock(String text) {
        String body = text.length() > MAX_ERROR_CHARS ? text.substring(0, MAX_ERROR_CHARS) + "\n… (cut)" : text;
        String fence = "```";
        while (body.contains(fence)) {
            fence += "`";
        }
        return fence + "text\n" + body.strip() + "\n" + fence + "\n";
    }
}
