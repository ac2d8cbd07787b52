package dev.codedeploy.cli;

import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.RegionCounts;
import dev.codedeploy.client.StageTiming;
import java.io.PrintWriter;

/** Prints a deploy's result: the build, the stage timings and one row per region. */
public final class ResultTable {

    private ResultTable() {
    }

    /** Prints {@code deploy}. */
    public static void print(PrintWriter out, Deploy deploy) {
        out.println();
        out.printf("%-12s %s%n", "deploy", deploy.id());
        out.printf("%-12s %s%n", "result", deploy.state() + (deploy.error() == null || deploy.succeeded() ? "" : ": " + deploy.error()));
        if (deploy.jobId() != null) {
            out.printf("%-12s %d%n", "build", deploy.jobId());
        }
        out.printf("%-12s %s%n", "commit", deploy.sha());
        out.printf("%-12s %s%n", "environment", deploy.environment());
        if (deploy.artifactSha256() != null) {
            out.printf("%-12s %s (%d bytes)%n", "sha256", deploy.artifactSha256(), deploy.artifactSize());
        }
        for (StageTiming t : deploy.timings()) {
            out.printf("%-12s %.1f s%n", t.stage().name().toLowerCase(), t.millis() / 1000.0);
        }
        if (!deploy.regions().isEmpty()) {
            out.println();
            out.printf("%-14s %6s %9s %8s %7s%n", "region", "hosts", "on build", "healthy", "failed");
            for (RegionCounts r : deploy.regions()) {
                out.printf("%-14s %6d %9d %8d %7d%n", r.region(), r.hosts(), r.onBuild(), r.healthy(), r.failed());
            }
        }
        out.flush();
    }

    /** The CLI's exit code for a deploy that ended: 0 SUCCEEDED, 3 timed out, 4 CANCELLED, 1 otherwise. */
    public static int exitCode(Deploy deploy) {
        return switch (deploy.state()) {
            case SUCCEEDED -> CodeDeployCli.OK;
            case CANCELLED -> CodeDeployCli.CANCELLED;
            default -> deploy.timedOut() ? CodeDeployCli.TIMED_OUT : CodeDeployCli.FAILED;
        };
    }
}
