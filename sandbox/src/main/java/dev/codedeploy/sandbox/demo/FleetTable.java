package dev.codedeploy.sandbox.demo;

import dev.codedeploy.DeployResult;
import dev.codedeploy.DeployStage;
import dev.codedeploy.release.HostState;
import dev.codedeploy.rollout.RegionStatus;
import dev.codedeploy.rollout.RolloutStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The demo's closing table: per region, its hosts and what they run; then each deploy's stage timings. */
final class FleetTable {

    private FleetTable() {
    }

    static void print(PrintWriter out, RolloutStatus status, List<DeployResult> results) {
        out.println();
        out.println("=== the fleet");
        out.printf("%-10s %6s %-8s %-40s%n", "region", "hosts", "release", "builds: hosts by state");
        for (RegionStatus region : status.regions()) {
            out.printf("%-10s %6d %-8s %-40s%n", region.region(), region.hosts(), "v" + region.releaseVersion(), describe(region.builds()));
        }
        out.println();
        out.printf("%-8s %-13s %7s %7s %9s %8s %9s %7s%n", "build", "result", "queued", "build", "replicate", "publish", "rollout", "total");
        for (DeployResult r : results) {
            Map<DeployStage, java.time.Duration> t = r.timings();
            double total = t.values().stream().mapToLong(java.time.Duration::toMillis).sum() / 1000.0;
            out.printf("%-8d %-13s %6.1fs %6.1fs %8.1fs %7.1fs %8.1fs %6.1fs%n", r.buildId(), r.stage(), s(t, DeployStage.QUEUED),
                    s(t, DeployStage.BUILDING), s(t, DeployStage.REPLICATING), s(t, DeployStage.PUBLISHING), s(t, DeployStage.ROLLING_OUT), total);
        }
        out.flush();
    }

    private static String describe(Map<Long, Map<HostState, Integer>> builds) {
        return builds.entrySet().stream().map(e -> "build " + e.getKey() + ": " + e.getValue().entrySet().stream()
                .map(s -> s.getValue() + " " + s.getKey()).collect(Collectors.joining(", "))).collect(Collectors.joining("; "));
    }

    private static double s(Map<DeployStage, java.time.Duration> timings, DeployStage stage) {
        return timings.getOrDefault(stage, java.time.Duration.ZERO).toMillis() / 1000.0;
    }
}
