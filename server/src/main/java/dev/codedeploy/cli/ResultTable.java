package dev.codedeploy.cli;

import dev.codedeploy.DeployResult;
import dev.codedeploy.RegionResult;
import java.io.PrintWriter;

/** Prints a deploy's result: the build, the stage timings and one row per region. */
public final class ResultTable {

    private ResultTable() {
    }

    /** Prints {@code result}. */
    public static void print(PrintWriter out, DeployResult result) {
        out.println();
        out.printf("%-12s %s%n", "result", result.stage() + (result.error() == null ? "" : ": " + result.error()));
        out.printf("%-12s %d%n", "build", result.buildId());
        out.printf("%-12s %s%n", "commit", result.sha());
        out.printf("%-12s %s%n", "environment", result.environment());
        if (result.artifactSha256() != null) {
            out.printf("%-12s %s (%d bytes)%n", "sha256", result.artifactSha256(), result.artifactSize());
        }
        result.timings().forEach((stage, d) -> out.printf("%-12s %.1f s%n", stage.name().toLowerCase(), d.toMillis() / 1000.0));
        if (!result.regions().isEmpty()) {
            out.println();
            out.printf("%-14s %6s %9s %8s %7s%n", "region", "hosts", "on build", "healthy", "failed");
            for (RegionResult r : result.regions()) {
                out.printf("%-14s %6d %9d %8d %7d%n", r.region(), r.hosts(), r.onBuild(), r.healthy(), r.failed());
            }
        }
        out.flush();
    }
}
