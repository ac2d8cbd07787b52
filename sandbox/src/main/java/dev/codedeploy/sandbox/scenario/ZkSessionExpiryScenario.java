package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.testing.SimulatedHost;
import dev.codedeploy.testing.ZooKeeperSessions;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.rollout.ReleasePublisher;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutOutcome;
import dev.codedeploy.rollout.RolloutPolicy;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.RolloutSandbox;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;

/**
 * Ends, on the servers, the ZooKeeper sessions of the control plane (its master client and each region sync's
 * regional client) and of every host, then publishes at once. Every session must be replaced, every host's
 * ephemeral node restored under its new session with no node of a dead session left, and the new build must reach
 * every host through the new sessions.
 */
public final class ZkSessionExpiryScenario implements Scenario {

    @Override
    public String name() {
        return "zk-session-expiry";
    }

    @Override
    public String description() {
        return "expire the ZooKeeper sessions of region sync and of every host; all come back, no stale nodes";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        int perRegion = ctx.intOption("hostsPerRegion", 4);
        RolloutPolicy policy = new RolloutPolicy(List.of(10, 50, 100), 1.0, 0.2, Duration.ZERO, 100, Duration.ofMinutes(5));
        try (RolloutSandbox sandbox = RolloutSandbox.start(ctx.workDir(), List.of("eu", "us", "ap"), policy, Duration.ofSeconds(30),
                Duration.ofMillis(200), EnumSet.allOf(RolloutControlPlane.Role.class))) {
            RolloutControlPlane plane = sandbox.plane();
            List<SimulatedHost> hosts = sandbox.hosts(perRegion);
            long first = sandbox.deployableBuild();
            ctx.say("%d hosts in %s; publishing build %d", hosts.size(), sandbox.regionNames(), first);
            RolloutOutcome outcome = plane.awaitOutcome(RolloutSandbox.ENVIRONMENT, plane.publish(RolloutSandbox.ENVIRONMENT, first, "sandbox", null),
                    Duration.ofSeconds(60), null);
            ctx.say("build %d: %s", first, outcome.result());

            Map<String, CuratorFramework> sessions = new HashMap<>();
            sessions.put("control plane master", plane.client("master"));
            for (String region : sandbox.regionNames()) {
                sessions.put("region sync " + region, plane.client(region));
            }
            for (SimulatedHost host : hosts) {
                sessions.put("host " + host.hostId(), host.client());
            }
            Map<String, Long> expired = new HashMap<>();
            for (Map.Entry<String, CuratorFramework> e : sessions.entrySet()) {
                expired.put(e.getKey(), ZooKeeperSessions.expire(e.getValue()));
            }
            ctx.say("expired %d sessions on the servers: %d control plane, %d hosts", expired.size(), expired.size() - hosts.size(), hosts.size());

            long second = sandbox.deployableBuild();
            // the control plane's clients learn of the expiry on their next request; Curator retries it on a new session
            ReleasePublisher.Published published = plane.publish(RolloutSandbox.ENVIRONMENT, second, "sandbox", null);
            ctx.say("published build %d as version %d right after the expiry", second, published.release().version());
            RolloutOutcome after = plane.awaitOutcome(RolloutSandbox.ENVIRONMENT, published, Duration.ofSeconds(90),
                    s -> ctx.say("  %s", s.summary()));
            ctx.say("build %d: %s", second, after.result());

            int recovered = 0;
            for (Map.Entry<String, CuratorFramework> e : sessions.entrySet()) {
                CuratorFramework client = e.getValue();
                boolean back = client.getZookeeperClient().isConnected() && ZooKeeperClients.sessionId(client) != expired.get(e.getKey());
                SimulatedHost host = hosts.stream().filter(h -> h.client() == client).findFirst().orElse(null);
                if (back && (host == null || host.isRegistered())) {
                    recovered++;
                } else {
                    ctx.say("not recovered: %s", e.getKey());
                }
            }
            boolean allOnSecond = hosts.stream().allMatch(h -> h.status().state() == HostState.HEALTHY
                    && Long.valueOf(second).equals(h.status().currentBuildId()) && h.isRegistered());
            int stale = staleNodes(sandbox, hosts);
            ctx.say("recovered %d/%d sessions; all hosts healthy on build %d: %s; stale host nodes: %d", recovered, sessions.size(), second,
                    allOnSecond, stale);
            return Result.scenario(name()).ok(recovered == sessions.size() && stale == 0 && allOnSecond
                            && after.result() == RolloutOutcome.Result.COMPLETED)
                    .put("recovered", recovered + "/" + sessions.size())
                    .put("stale_nodes", stale);
        }
    }

    /** Status nodes in any region that do not belong to the current session of a live host: left by a dead session, or unknown. */
    private static int staleNodes(RolloutSandbox sandbox, List<SimulatedHost> hosts) throws Exception {
        Map<String, Long> owners = new HashMap<>();
        for (SimulatedHost h : hosts) {
            owners.put(h.hostId(), ZooKeeperClients.sessionId(h.client()));
        }
        int stale = 0;
        for (String region : sandbox.regionNames()) {
            CuratorFramework client = sandbox.plane().client(region);
            String parent = ZkLayout.hosts(RolloutSandbox.ENVIRONMENT);
            for (String bucket : client.getChildren().forPath(parent)) {
                for (String host : client.getChildren().forPath(parent + "/" + bucket)) {
                    Stat stat = client.checkExists().forPath(ZkLayout.hostStatus(RolloutSandbox.ENVIRONMENT, host));
                    if (stat != null && !Long.valueOf(stat.getEphemeralOwner()).equals(owners.get(host))) {
                        stale++;
                    }
                }
            }
        }
        return stale;
    }
}
