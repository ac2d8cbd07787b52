package dev.codedeploy.sandbox.demo;

import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.Rollout;
import dev.codedeploy.client.StageTiming;
import dev.codedeploy.client.StageTiming.Stage;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/** The demo's closing table: per region, its hosts and what they run; then each deploy's stage timings. */
final class FleetTable {

    private FleetTable() {
    }

    static void print(PrintWriter out, Rollout rollout, List<Deploy> deploys) {
        out.println();
        out.println("=== the fleet");
        out.printf("%-10s %6s %-8s %-40s%n", "region", "hosts", "release", "builds: hosts by state");
        for (Rollout.Region region : rollout.regions()) {
            out.printf("%-10s %6d %-8s %-40s%n", region.region(), region.hosts(), "v" + region.releaseVersion(), describe(region.builds()));
        }
        out.println();
        out.printf("%-7s %-8s %-13s %7s %7s %9s %8s %9s %7s%n", "deploy", "build", "result", "queued", "build", "replicate", "publish",
                "rollout", "total");
        for (Deploy d : deploys) {
            double total = d.timings().stream().mapToLong(StageTiming::millis).sum() / 1000.0;
            out.printf("%-7d %-8s %-13s %6.1fs %6.1fs %8.1fs %7.1fs %8.1fs %6.1fs%n", d.id(), d.jobId(), d.state(), s(d, Stage.QUEUED),
                    s(d, Stage.BUILDING), s(d, Stage.REPLICATING), s(d, Stage.PUBLISHING), s(d, Stage.ROLLING_OUT), total);
        }
        out.flush();
    }

    private static String describe(List<Rollout.BuildHosts> builds) {
        return builds.stream().map(b -> "build " + b.buildId() + ": " + b.states().entrySet().stream()
                .map(s -> s.getValue() + " " + s.getKey()).collect(Collectors.joining(", "))).collect(Collectors.joining("; "));
    }

    private static double s(Deploy deploy, Stage stage) {
        return deploy.timing(stage).map(t -> t.millis() / 1000.0).orElse(0.0);
    }
}
