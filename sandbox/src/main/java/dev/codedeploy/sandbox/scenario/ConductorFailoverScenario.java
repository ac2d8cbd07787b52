package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.client.AuditEntry;
import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.CodeDeployClientException;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.Rollout;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.ChildProcess;
import dev.codedeploy.sandbox.cluster.SandboxCluster;
import dev.codedeploy.sandbox.cluster.SandboxOptions;
import dev.codedeploy.sandbox.cluster.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code conductor-failover}: two {@code codedeploy server} processes; the one advancing a deploy is SIGKILLed while the
 * deploy replicates, a fresh server takes its place, and the one advancing it then is SIGKILLed during the rollout.
 * Each time another server's conductor takes the deploy over once the lease passes; the release is published once
 * (one PUBLISH in the audit, the record naming the deploy), and every host ends healthy on the build. Options:
 * {@code agents} (hosts, 2).
 */
public final class ConductorFailoverScenario implements Scenario {

    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @Override
    public String name() {
        return "conductor-failover";
    }

    @Override
    public String description() {
        return "the server advancing a deploy is SIGKILLed during replication and during the rollout: another takes over, one publish";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        SandboxOptions shape = SandboxOptions.DEMO.withRegions(1, ctx.intOption("agents", 2));
        try (SandboxCluster cluster = SandboxCluster.start(ctx.workDir(), shape, ctx.out())) {
            Map<ChildProcess, Integer> servers = new LinkedHashMap<>();
            servers.put(cluster.server(), Integer.parseInt(cluster.apiUrl().replaceAll(".*:", "")));
            int port = SandboxCluster.freeLoopbackPort();
            servers.put(cluster.startServer("server-2", port), port);
            ctx.say("two servers: pids %s", servers.keySet().stream().map(ChildProcess::pid).toList());
            String sha = DeployScenarios.slowCommit(cluster, "failover", 1, 48 * 1024);
            Deploy deploy = api(cluster, servers).createDeploy(CreateDeploy.of(sha).withReason("conductor-failover"));
            List<String> takeovers = new ArrayList<>();
            for (DeployState killIn : List.of(DeployState.REPLICATING, DeployState.ROLLING_OUT)) {
                Deploy[] reached = new Deploy[1];
                Wait.require("deploy " + deploy.id() + " in " + killIn, PATIENCE, () -> {
                    reached[0] = read(cluster, servers, deploy.id());
                    return reached[0] != null && reached[0].state().ordinal() >= killIn.ordinal();
                });
                Deploy seen = reached[0];
                ChildProcess holder = holder(servers, seen);
                if (holder == null || seen.isFinal()) {
                    ctx.say("deploy %d is %s, held by %s: no server of ours to kill", deploy.id(), seen.state(), seen.conductor());
                    break;
                }
                holder.kill();
                servers.remove(holder);
                ctx.say("SIGKILLed server pid %d, which held deploy %d while it was %s (%s)", holder.pid(), deploy.id(), seen.state(),
                        seen.message());
                if (killIn == DeployState.REPLICATING) {
                    // a fresh server in place of the killed one, started now and ready whenever it is: if the rollout's
                    // holder is killed before, the deploy waits for it
                    int next = SandboxCluster.freeLoopbackPort();
                    ChildProcess fresh = cluster.launchServer("server-3", next);
                    servers.put(fresh, next);
                    ctx.say("launched a fresh server (pid %d) in place of the killed one", fresh.pid());
                }
                String before = seen.conductor();
                Deploy[] now = new Deploy[1];
                Wait.require("another conductor to take deploy " + deploy.id() + " over", PATIENCE, () -> {
                    now[0] = read(cluster, servers, deploy.id());
                    return now[0] != null && (now[0].isFinal() || (now[0].conductor() != null && !now[0].conductor().equals(before)));
                });
                takeovers.add(now[0].conductor());
                ctx.say("taken over by %s", now[0].conductor());
            }
            Deploy[] last = new Deploy[1];
            Wait.require("deploy " + deploy.id() + " to end", PATIENCE, () -> {
                last[0] = read(cluster, servers, deploy.id());
                return last[0] != null && last[0].isFinal();
            });
            Deploy end = last[0];
            CodeDeployClient client = api(cluster, servers);
            List<AuditEntry> publishes = client.history(SandboxCluster.ENVIRONMENT, 200).stream()
                    .filter(a -> a.action().startsWith("PUBLISH")).toList();
            Rollout rollout = client.rollout(SandboxCluster.ENVIRONMENT);
            boolean publishedOnce = publishes.size() == 1 && rollout.release() != null && Long.valueOf(deploy.id()).equals(rollout.release().deployId());
            boolean allHealthy = rollout.regions().stream().allMatch(r -> r.hosts() == shape.agentsPerRegion() && r.builds().size() == 1
                    && r.builds().get(0).buildId() == end.jobId() && r.builds().get(0).states().getOrDefault("HEALTHY", 0) == r.hosts());
            ctx.say("deploy %d ended %s; %d publish row(s): %s; hosts: %s", deploy.id(), end.state(), publishes.size(),
                    publishes.stream().map(a -> a.actor() + " v" + a.releaseVersion()).toList(),
                    rollout.regions().stream().map(r -> r.region() + " " + r.builds()).toList());
            boolean completed = end.succeeded() && allHealthy;
            return Result.scenario(name()).ok(publishedOnce && completed && takeovers.size() == 2).put("published_once", publishedOnce)
                    .put("completed", completed);
        }
    }

    /** A client of a server still running. */
    private static CodeDeployClient api(SandboxCluster cluster, Map<ChildProcess, Integer> servers) {
        return cluster.client(servers.values().iterator().next());
    }

    /** The deploy as the first server that answers has it, or null while none does (one is still starting). */
    private static Deploy read(SandboxCluster cluster, Map<ChildProcess, Integer> servers, long id) {
        for (int port : servers.values()) {
            try {
                return cluster.client(port).deploy(id);
            } catch (CodeDeployClientException starting) {
                // the next one
            }
        }
        return null;
    }

    /** The server process whose conductor holds {@code deploy}. */
    private static ChildProcess holder(Map<ChildProcess, Integer> servers, Deploy deploy) {
        return servers.keySet().stream().filter(p -> deploy.conductor() != null && deploy.conductor().endsWith("-" + p.pid()))
                .findFirst().orElse(null);
    }
}
