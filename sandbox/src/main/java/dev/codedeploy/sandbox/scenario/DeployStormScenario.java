package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.StageTiming;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.SandboxCluster;
import dev.codedeploy.sandbox.cluster.SandboxOptions;
import dev.codedeploy.sandbox.cluster.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code deploy-storm}: {@code requests} deploys of as many commits are requested for one environment within a few
 * seconds, from four clients at once. The environment never had more than one deploy publishing or rolling out at a
 * time (from the deploys' recorded stage times); in the end the newest SUCCEEDED, every other one ended SUPERSEDED or SUCCEEDED, and none is lost or
 * stuck. Options: {@code requests} (20), {@code agents} (1).
 */
public final class DeployStormScenario implements Scenario {

    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "deploy-storm";
    }

    @Override
    public String description() {
        return "20 deploys of one environment within seconds: one rollout at a time, the newest wins, none lost or stuck";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        int requests = ctx.intOption("requests", 20);
        SandboxOptions shape = SandboxOptions.DEMO.withRegions(1, ctx.intOption("agents", 1));
        try (SandboxCluster cluster = SandboxCluster.start(ctx.workDir(), shape, ctx.out())) {
            CodeDeployClient client = cluster.client();
            List<String> shas = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                shas.add(cluster.repo().commit("storm " + i, Map.of("CHANGELOG", "storm " + i + "\n")));
            }
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<Deploy>> sent = new ArrayList<>();
            long t0 = System.nanoTime();
            for (String sha : shas) {
                sent.add(clients.submit(() -> client.createDeploy(CreateDeploy.of(sha).withReason("storm"))));
                Thread.sleep(100);
            }
            List<Long> ids = new ArrayList<>();
            for (Future<Deploy> f : sent) {
                ids.add(f.get(1, TimeUnit.MINUTES).id());
            }
            clients.shutdown();
            ctx.say("%d deploys requested in %.1f s: ids %d to %d", ids.size(), (System.nanoTime() - t0) / 1e9, Collections.min(ids),
                    Collections.max(ids));
            long newest = Collections.max(ids);
            Wait.until(PATIENCE, () -> ids.stream().allMatch(id -> client.deploy(id).isFinal()));
            List<Deploy> ends = ids.stream().map(client::deploy).toList();
            int concurrentMax = mostAtOnce(ends);
            long stuck = ends.stream().filter(d -> !d.isFinal()).count();
            Map<DeployState, Long> byState = ends.stream().collect(Collectors.groupingBy(Deploy::state, Collectors.counting()));
            boolean newestWon = client.deploy(newest).succeeded();
            boolean othersFine = ends.stream().filter(d -> d.id() != newest)
                    .allMatch(d -> d.state() == DeployState.SUPERSEDED || d.state() == DeployState.SUCCEEDED);
            ctx.say("ends: %s; newest (%d) %s; most publishing or rolling out at once: %d", byState, newest, client.deploy(newest).state(),
                    concurrentMax);
            return Result.scenario(name()).ok(stuck == 0 && newestWon && othersFine && ids.size() == requests && concurrentMax <= 1)
                    .put("requested", ids.size()).put("stuck", stuck).put("concurrent_rollouts_max", concurrentMax);
        }
    }

    /**
     * The most deploys that were publishing or rolling out at the same moment, from their recorded times (the
     * database clock): each one's span from entering PUBLISHING to its end.
     */
    static int mostAtOnce(List<Deploy> deploys) {
        List<long[]> edges = new ArrayList<>();
        for (Deploy d : deploys) {
            d.timing(StageTiming.Stage.PUBLISHING).ifPresent(p -> {
                Instant end = d.finishedAt() != null ? d.finishedAt() : Instant.now();
                edges.add(new long[] {micros(p.startedAt()), 1});
                edges.add(new long[] {micros(end), -1});
            });
        }
        // at equal times an end comes before a start: one deploy handing the environment to the next is no overlap
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int most = 0;
        for (long[] e : edges) {
            now += (int) e[1];
            most = Math.max(most, now);
        }
        return most;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }
}
