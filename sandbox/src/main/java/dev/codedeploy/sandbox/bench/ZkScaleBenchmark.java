package dev.codedeploy.sandbox.bench;

import dev.codedeploy.release.HostState;
import dev.codedeploy.rollout.RegionStatus;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutPolicy;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.bench.fleet.FleetHost;
import dev.codedeploy.sandbox.bench.fleet.RegionalZooKeeper;
import dev.codedeploy.sandbox.bench.fleet.SimulatedFleet;
import dev.codedeploy.sandbox.cluster.RolloutSandbox;
import dev.codedeploy.sandbox.cluster.Wait;
import dev.codedeploy.sandbox.scenario.ScenarioContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one host costs its regional ZooKeeper, measured by the server, as the region grows. At each N a fresh
 * regional ZooKeeper runs in a process of its own; N simulated agents (the agent's real registration, status,
 * progress throttle, release watch and peer discovery, a download being a timer) are enrolled and registered; one
 * build is published and rolled out in waves by the real control plane (region sync, driver, tracker). From publish
 * until the driver counts every host healthy, the server's {@code mntr} figures give the requests, reads, writes and
 * bytes each host cost, and its largest read (a listing or a node) is checked against 100 KB.
 *
 * <p>The peer is the same run's smallest N: {@code growth} is the bytes per host at the largest N over those at the
 * smallest (flat is 1). A run counts only if at every N at least 95 % of the hosts filled their sample of peers before
 * their download ended; otherwise the machine did not keep up and discovery is undercounted. Options:
 * {@code hosts=1000,5000,20000 perSession=100 zones=4 downloadSeconds=600 discoverySeconds=5 maxPeers=50 threads=64
 * zkHeap=2g}.
 */
public final class ZkScaleBenchmark implements Benchmark {

    private static final String REGION = "region";
    private static final String ENV = RolloutSandbox.ENVIRONMENT;

    @Override
    public String name() {
        return "zk-scale";
    }

    @Override
    public String description() {
        return "per-host cost at the regional ZooKeeper (its mntr) for N simulated agents, N stepping up "
                + "(--set hosts=1000,5000,20000 zones=4 downloadSeconds=600)";
    }

    /** What one N cost, per host, over the measured window. */
    private record Step(int hosts, double minutes, double requests, double reads, double writes, double bytes, double largestRead,
                        double p99Millis, double p100Millis, double discoveryReads, double discoveryListings, int largestListing,
                        double fullShare, double lagMillis) {
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        List<Integer> counts = Arrays.stream(ctx.option("hosts", "1000,5000,20000").split(",")).map(String::trim).map(Integer::parseInt).toList();
        FleetHost.Settings settings = new FleetHost.Settings(Duration.ofSeconds(ctx.longOption("downloadSeconds", 600)),
                Duration.ofSeconds(ctx.longOption("discoverySeconds", 5)), Duration.ofSeconds(30), ctx.intOption("maxPeers", 50));
        List<Step> steps = new ArrayList<>();
        for (int n : counts) {
            Step step = measure(ctx, n, settings);
            steps.add(step);
            ctx.say("N=%d: per host over %.1f min: %.0f requests, %.0f reads, %.1f writes, %.1f KB; largest read %.1f KB; "
                            + "discovery %.0f reads and %.1f listings (largest %d names), sample filled at %.0f %% of hosts; "
                            + "counted healthy p99 %.1f s, all %.1f s (%.1f s after the last host reported it)",
                    n, step.minutes(), step.requests(), step.reads(), step.writes(), step.bytes() / 1024, step.largestRead() / 1024,
                    step.discoveryReads(), step.discoveryListings(), step.largestListing(), step.fullShare() * 100,
                    step.p99Millis() / 1000, step.p100Millis() / 1000, step.lagMillis() / 1000);
            if (step.fullShare() < 0.95) {
                ctx.say("N=%d: fewer than 95 %% of the hosts filled their sample before their download ended: this machine did not"
                        + " keep up, and the per-host figures undercount discovery", n);
            }
        }
        Step first = steps.get(0);
        Step last = steps.get(steps.size() - 1);
        double largestRead = steps.stream().mapToDouble(Step::largestRead).max().orElse(0);
        double growth = last.bytes() / first.bytes();
        boolean kept = steps.stream().allMatch(s -> s.fullShare() >= 0.95);
        boolean ok = growth <= 1.2 && largestRead <= 100 * 1024 && kept;
        return Result.bench(name())
                .put("hosts_max", last.hosts())
                .put("reads_per_host_min", round(last.reads() / last.minutes()))
                .put("bytes_per_host_min", Math.round(last.bytes() / last.minutes()))
                .put("writes_per_host_min", round(last.writes() / last.minutes()))
                .put("growth", round(growth))
                .put("largest_read_kb", round(largestRead / 1024))
                .put("publish_to_counted_p99_ms", Math.round(last.p99Millis()))
                .put("counted_after_last_report_ms", Math.round(last.lagMillis()))
                .put("within_aim", ok);
    }

    private Step measure(ScenarioContext ctx, int n, FleetHost.Settings settings) throws Exception {
        ctx.say("N=%d: starting a regional ZooKeeper (own process) and a control plane", n);
        RolloutPolicy policy = new RolloutPolicy(List.of(10, 50, 100), 1.0, 0.05, Duration.ZERO, 100, Duration.ofMinutes(60));
        try (RegionalZooKeeper zk = RegionalZooKeeper.start(ctx.workDir().resolve("n" + n).resolve("zookeeper"), ctx.option("zkHeap", "2g"));
             RolloutSandbox sandbox = RolloutSandbox.start(ctx.workDir().resolve("n" + n), List.of(REGION), policy, Duration.ofSeconds(5),
                     Duration.ofMillis(500), EnumSet.of(RolloutControlPlane.Role.REGION_SYNC, RolloutControlPlane.Role.DRIVER),
                     Map.of(REGION, zk.connectString()));
             SimulatedFleet fleet = SimulatedFleet.start(sandbox.regionZooKeeper(REGION, null), sandbox.plane().enrollment(REGION), ENV, n,
                     ctx.intOption("perSession", 100), ctx.intOption("zones", 4), settings, sandbox.keys().getPublic(),
                     ctx.intOption("threads", 64), line -> ctx.say("N=%d: %s", n, line))) {
            RolloutControlPlane plane = sandbox.plane();
            long build = sandbox.deployableBuild();
            Wait.require("the control plane counting " + n + " hosts", Duration.ofMinutes(5), () -> region(plane).hosts() == n);
            Map<String, Double> before = zk.mntr();
            long start = System.nanoTime();
            plane.publish(ENV, build, "bench", null);
            long p99 = -1;
            long p100 = -1;
            long deadline = start + Duration.ofMinutes(30).toNanos();
            long lastSay = start;
            while (p100 < 0 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                int healthy = region(plane).builds().getOrDefault(build, Map.of()).getOrDefault(HostState.HEALTHY, 0);
                long now = System.nanoTime();
                if (p99 < 0 && healthy >= Math.ceil(n * 0.99)) {
                    p99 = now - start;
                }
                if (healthy == n) {
                    p100 = now - start;
                }
                if (now - lastSay > Duration.ofSeconds(15).toNanos()) {
                    lastSay = now;
                    ctx.say("N=%d: %d s after publish, %d hosts counted healthy", n, Duration.ofNanos(now - start).toSeconds(), healthy);
                }
            }
            if (p100 < 0) {
                throw new IllegalStateException("the control plane did not count every host healthy within 30 min");
            }
            Map<String, Double> after = zk.mntr();
            double minutes = p100 / 60e9;
            long lag = start + p100 - fleet.lastHealthyAt();
            SimulatedFleet.DiscoveryTotals discovery = fleet.discoveryTotals();
            return new Step(n, minutes, delta(before, after, "zk_packets_received") / n,
                    delta(before, after, "zk_cnt_codedeploy_read_per_namespace") / n,
                    delta(before, after, "zk_cnt_codedeploy_write_per_namespace") / n,
                    (delta(before, after, "zk_bytes_received_count") + delta(before, after, "zk_response_bytes")
                            + delta(before, after, "zk_watch_bytes")) / n,
                    after.getOrDefault("zk_max_codedeploy_read_per_namespace", 0.0), p99 / 1e6, p100 / 1e6,
                    discovery.readsPerHost(), discovery.listingsPerHost(), discovery.largestListing(), discovery.fullShare(), lag / 1e6);
        }
    }

    private static RegionStatus region(RolloutControlPlane plane) {
        return plane.status(ENV).regions().get(0);
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
        if (!after.containsKey(key)) {
            throw new IllegalStateException("ZooKeeper's mntr has no " + key + "; it has " + after.keySet());
        }
        return after.get(key) - before.getOrDefault(key, 0.0);
    }

    private static String round(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
