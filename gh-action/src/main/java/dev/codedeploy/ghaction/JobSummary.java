package dev.codedeploy.ghaction;

import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.RegionCounts;
import dev.codedeploy.client.StageTiming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The Markdown job summary, appended to the file named by {@code GITHUB_STEP_SUMMARY}: the outcome, the deploy, the
 * commit and build, the stages with how long each took, one row per region, and the error. GitHub shows it on the
 * run's page.
 */
final class JobSummary {

    /** GitHub keeps 1 MiB of summary per step; the error is cut well below that. */
    private static final int MAX_ERROR_CHARS = 20_000;

    private JobSummary() {
    }

    /**
     * The summary of a deploy that ran.
     *
     * @param deploy       the deploy as last read (for a timeout: where it was)
     * @param status       the {@code status} output: SUCCEEDED, FAILED, CANCELLED, SUPERSEDED or TIMED_OUT
     * @param error        why it did not succeed, or null
     * @param inputs       what was asked
     * @param deploymentId the GitHub deployment, or null
     */
    static String of(Deploy deploy, String status, String error, ActionInputs inputs, Long deploymentId) {
        StringBuilder md = new StringBuilder();
        md.append("## ").append(icon(status)).append(" codedeploy: `").append(deploy.sha(), 0, 7).append("` to ")
                .append(deploy.environment()).append(": ").append(status).append("\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| Deploy | ").append(deploy.id()).append(" (").append(deploy.state()).append(") |\n");
        md.append("| Commit | `").append(deploy.sha()).append("` |\n");
        md.append("| Environment | ").append(deploy.environment()).append(" |\n");
        md.append("| Build | ").append(deploy.jobId() == null ? "-" : deploy.jobId()).append(" |\n");
        if (deploy.artifactSha256() != null) {
            md.append("| Artifact | sha256 `").append(deploy.artifactSha256()).append("`")
                    .append(deploy.artifactSize() == null ? "" : ", " + size(deploy.artifactSize())).append(" |\n");
        }
        if (deploy.releaseVersion() != null) {
            md.append("| Release | version ").append(deploy.releaseVersion()).append(" |\n");
        }
        md.append("| Repository | ").append(deploy.repository()).append(" |\n");
        md.append("| Waited for the rollout | ").append(inputs.waitForRollout() ? "yes" : "no").append(" |\n");
        if (deploymentId != null) {
            md.append("| GitHub deployment | ").append(deploymentId).append(" |\n");
        }
        md.append("\n### Stages\n\n| Stage | Took |\n|---|--:|\n");
        Duration total = Duration.ZERO;
        for (StageTiming timing : deploy.timings()) {
            md.append("| ").append(stageName(timing.stage())).append(" | ").append(duration(timing.duration())).append(" |\n");
            total = total.plus(timing.duration());
        }
        md.append("| **Total** | **").append(duration(total)).append("** |\n");
        md.append("\n### Regions\n\n");
        if (deploy.regions().isEmpty()) {
            md.append("No region reported hosts for this build.\n");
        } else {
            md.append("| Region | Hosts | On the build | Healthy | Failed |\n|---|--:|--:|--:|--:|\n");
            for (RegionCounts region : deploy.regions()) {
                md.append("| ").append(region.region()).append(" | ").append(region.hosts()).append(" | ").append(region.onBuild())
                        .append(" | ").append(region.healthy()).append(" | ").append(region.failed()).append(" |\n");
            }
        }
        if (error != null && !error.isBlank()) {
            md.append("\n### Error\n\n").append(codeBlock(error));
        }
        return md.toString();
    }

    /** The summary of a run that stopped before or while following a deploy (bad input, unreachable server, GitHub refused). */
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

    static String stageName(StageTiming.Stage stage) {
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
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", value, units[unit], bytes);
    }

    private static String icon(String status) {
        return switch (status) {
            case "SUCCEEDED" -> "✅";
            case "CANCELLED" -> "⏹️";
            case "TIMED_OUT" -> "⏱️";
            case "SUPERSEDED" -> "⏭️";
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
