package dev.codedeploy.sandbox.bench;

import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutPolicy;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.bench.FanoutObservers.Observer;
import dev.codedeploy.sandbox.bench.FanoutObservers.Polling;
import dev.codedeploy.sandbox.bench.FanoutObservers.Watching;
import dev.codedeploy.sandbox.cluster.RolloutSandbox;
import dev.codedeploy.sandbox.cluster.Wait;
import dev.codedeploy.sandbox.scenario.ScenarioContext;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Publish-to-host latency of a release: the control plane publishes to the master ZooKeeper, region sync copies the
 * record to five regional ZooKeepers, and lightweight watchers (one session and one data watch each, spread over the
 * regions) verify and note it. The peer, in the same run, is the seed design's polling: as many hosts reading their
 * regional ZooKeeper every 30 s from a random phase. Latency runs from the moment publish is called (its database
 * transaction included) to the moment a host holds the verified record.
 */
public final class FanoutBenchmark implements Benchmark {

    private static final List<String> REGIONS = List.of("eu", "us", "ap", "sa", "af");

    @Override
    public String name() {
        return "fanout";
    }

    @Override
    public String description() {
        return "publish to N watchers over 5 regional ZooKeepers vs polling every 30 s (--set watchers=1000 rounds=5 warmUps=3 pollSeconds=30)";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        List<Watching> watching = new ArrayList<>();
        List<Polling> polling = new ArrayList<>();
        try (RolloutSandbox sandbox = RolloutSandbox.start(ctx.workDir(), REGIONS, RolloutPolicy.DEFAULTS, Duration.ofSeconds(30),
                Duration.ofSeconds(1), EnumSet.of(RolloutControlPlane.Role.REGION_SYNC))) {
            try {
                return measure(ctx, sandbox, watching, polling);
            } finally {
                // before the servers stop, or each close waits for an answer
                watching.forEach(Watching::close);
                polling.forEach(Polling::close);
            }
        }
    }

    private Result measure(ScenarioContext ctx, RolloutSandbox sandbox, List<Watching> watching, List<Polling> polling) throws Exception {
        int watchers = ctx.intOption("watchers", 1000);
        int rounds = ctx.intOption("rounds", 5);
        int warmUps = ctx.intOption("warmUps", 3);
        long pollMillis = ctx.longOption("pollSeconds", 30) * 1000;
        String env = RolloutSandbox.ENVIRONMENT;
        String path = ZkLayout.release(env);
        RolloutControlPlane plane = sandbox.plane();
        PublicKey key = sandbox.keys().getPublic();
        List<Long> builds = new ArrayList<>();
        for (int i = 0; i < warmUps + 1 + rounds; i++) {
            builds.add(sandbox.deployableBuild());
        }
        // unmeasured publishes first, so that the measured ones do not pay for class loading and the JIT
        long warmUp = 0;
        for (int i = 0; i <= warmUps; i++) {
            long version = plane.publish(env, builds.remove(0), "bench", null).release().version();
            Wait.require("release version " + version + " in every region", Duration.ofSeconds(60), () -> plane.status(env).regions()
                    .stream().allMatch(s -> s.releaseVersion() == version));
            warmUp = version;
        }
        long warmedUp = warmUp;

        ctx.say("connecting %d watchers over %d regional ZooKeepers", watchers, REGIONS.size());
        for (int i = 0; i < watchers; i++) {
            watching.add(new Watching(sandbox.region(REGIONS.get(i % REGIONS.size())).connectString(), path, key));
        }
        for (Watching w : watching) {
            if (!w.awaitConnected(60_000)) {
                throw new IllegalStateException("a watcher could not connect within 60 s");
            }
            w.read();
        }
        List<ZooKeeper> pollSessions = new ArrayList<>();
        for (String region : REGIONS) {
            pollSessions.add(new ZooKeeper(sandbox.region(region).connectString(), 30_000, (Watcher) e -> { }));
        }
        polling.add(new Polling(pollSessions, watchers, path, key, pollMillis));
        List<Observer> pollers = polling.get(0).hosts();
        Wait.require("every watcher holding the first release", Duration.ofSeconds(60),
                () -> watching.stream().allMatch(w -> w.latest() >= warmedUp));

        long[] publishedAt = new long[rounds];
        Latencies regionWrites = new Latencies();
        long[] versions = new long[rounds];
        Latencies watched = new Latencies();
        Latencies publishCalls = new Latencies();
        for (int round = 0; round < rounds; round++) {
            long wallStart = System.currentTimeMillis();
            publishedAt[round] = System.nanoTime();
            versions[round] = plane.publish(env, builds.get(round), "bench", null).release().version();
            publishCalls.add(System.nanoTime() - publishedAt[round]);
            long version = versions[round];
            Wait.require("every watcher seeing version " + version, Duration.ofSeconds(60),
                    () -> watching.stream().allMatch(w -> w.latest() >= version));
            for (Watching w : watching) {
                watched.add(w.firstSeenAtLeast(version) - publishedAt[round]);
            }
            for (String region : REGIONS) {
                // the servers stamp each write with their clock, the same machine's: millisecond resolution
                Stat stat = sandbox.plane().client(region).checkExists().forPath(path);
                regionWrites.add((stat.getMtime() - wallStart) * 1_000_000);
            }
            ctx.say("round %d: version %d seen by %d watchers, p99 %.1f ms so far", round + 1, version, watchers,
                    watched.percentileMillis(99));
        }
        long last = versions[rounds - 1];
        ctx.say("waiting for the pollers (every %d s) to see the last version", pollMillis / 1000);
        Wait.require("every poller seeing version " + last, Duration.ofMillis(pollMillis + 30_000),
                () -> pollers.stream().allMatch(p -> p.latest() >= last));
        Latencies polled = new Latencies();
        for (int round = 0; round < rounds; round++) {
            for (Observer p : pollers) {
                polled.add(p.firstSeenAtLeast(versions[round]) - publishedAt[round]);
            }
        }
        long verified = 0;
        for (Observer o : watching) {
            o.verifyAll();
            verified++;
        }
        for (Observer o : pollers) {
            o.verifyAll();
            verified++;
        }
        ctx.say("every record every host saw verifies (%d hosts)", verified);
        double p99 = watched.percentileMillis(99);
        double pollingP99 = polled.percentileMillis(99);
        ctx.say("watch: p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d samples; polling: p50 %.0f ms, p99 %.0f ms",
                watched.percentileMillis(50), p99, watched.percentileMillis(100), watched.count(), polled.percentileMillis(50), pollingP99);
        ctx.say("of which region sync, publish call to regional write: p50 %.0f ms, max %.0f ms",
                regionWrites.percentileMillis(50), regionWrites.percentileMillis(100));
        ctx.say("of which the publish call itself (build and manifest lookup, deploy gate, audit row, master write): p50 %.1f ms, max %.1f ms",
                publishCalls.percentileMillis(50), publishCalls.percentileMillis(100));
        return Result.bench(name())
                .put("watchers", watchers)
                .put("p50_ms", oneDecimal(watched.percentileMillis(50)))
                .put("p99_ms", oneDecimal(p99))
                .put("max_ms", oneDecimal(watched.percentileMillis(100)))
                .put("polling_p99_ms", Math.round(pollingP99))
                .put("ratio", oneDecimal(pollingP99 / p99));
    }

    private static String oneDecimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
