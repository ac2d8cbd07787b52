package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.rollout.RegionStatus;
import dev.codedeploy.rollout.RolloutAcls;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutOutcome;
import dev.codedeploy.rollout.RolloutPolicy;
import dev.codedeploy.rollout.RolloutStatus;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.RolloutSandbox;
import dev.codedeploy.sandbox.cluster.Wait;
import dev.codedeploy.testing.SimulatedHost;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * One enrolled host's credentials try to move the rollout: they write another host's status (FAILED), delete it, add a
 * peer entry in its node, add fake hosts reporting FAILED (in a bucket, in the previous flat layout, under its own node)
 * and write a status in its own node that names another host. Had any of it been believed, the failures would roll the
 * environment back; instead ZooKeeper refuses every write outside the host's own node, the control plane ignores what
 * its own node says about others, and the rollout completes with the real hosts only.
 */
public final class ForgedHostStatusScenario implements Scenario {

    private static final int HOSTS = 4;

    /** One forgery. */
    @FunctionalInterface
    private interface Attempt {
        void run() throws Exception;
    }

    @Override
    public String name() {
        return "forged-host-status";
    }

    @Override
    public String description() {
        return "a host's credentials write another host's status and add fake FAILED hosts: none is believed, the rollout completes";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        RolloutPolicy policy = new RolloutPolicy(List.of(50, 100), 1.0, 0.05, Duration.ZERO, 100, Duration.ofMinutes(2));
        try (RolloutSandbox sandbox = RolloutSandbox.start(ctx.workDir(), List.of("eu"), policy, Duration.ofSeconds(30),
                Duration.ofMillis(500), EnumSet.of(RolloutControlPlane.Role.REGION_SYNC, RolloutControlPlane.Role.DRIVER))) {
            String env = RolloutSandbox.ENVIRONMENT;
            RolloutControlPlane plane = sandbox.plane();
            List<SimulatedHost> hosts = new ArrayList<>();
            for (int i = 1; i <= HOSTS; i++) {
                hosts.add(sandbox.host("eu", "eu-host-" + i, SimulatedHost.Behaviour.HEALTHY));
            }
            SimulatedHost victim = hosts.get(0);
            // the intruder is an enrolled host whose credentials someone else now holds
            String intruder = "eu-host-0";
            plane.enrollment("eu").enroll(env, intruder);
            Credentials stolen = RolloutSandbox.hostCredentials(intruder);
            Wait.require("every host registered and counted", Duration.ofSeconds(30),
                    () -> hosts.stream().allMatch(SimulatedHost::isRegistered) && region(plane.status(env)).hosts() == HOSTS);
            ctx.say("%d hosts registered; %s's credentials attack %s and add fake hosts", HOSTS, intruder, victim.hostId());

            long build = sandbox.deployableBuild();
            try (CuratorFramework attacker = ZooKeeperClients.start(sandbox.regionZooKeeper("eu", null), RolloutAcls.agent(stolen), stolen)) {
                byte[] failedVictim = failed(victim.hostId(), build);
                Map<String, Attempt> forgeries = new LinkedHashMap<>();
                forgeries.put("overwrite the victim's status with FAILED",
                        () -> attacker.setData().forPath(ZkLayout.hostStatus(env, victim.hostId()), failedVictim));
                forgeries.put("delete the victim's status", () -> attacker.delete().forPath(ZkLayout.hostStatus(env, victim.hostId())));
                forgeries.put("add a peer entry in the victim's node", () -> attacker.create().withMode(CreateMode.EPHEMERAL)
                        .forPath(ZkLayout.hostPeer(env, victim.hostId()), failedVictim));
                forgeries.put("add a fake host next to the victim", () -> attacker.create().creatingParentsIfNeeded()
                        .forPath(ZkLayout.host(env, "fake-" + victim.hostId())));
                forgeries.put("add a fake FAILED host in the flat layout", () -> attacker.create().withMode(CreateMode.EPHEMERAL)
                        .forPath(ZkLayout.legacyHost(env, "fake-flat"), failed("fake-flat", build)));
                int written = 0;
                for (Map.Entry<String, Attempt> f : forgeries.entrySet()) {
                    boolean refused = refused(f.getValue());
                    written += refused ? 0 : 1;
                    ctx.say("  %-44s %s", f.getKey(), refused ? "refused by ZooKeeper" : "WRITTEN");
                }
                // in its own node ZooKeeper lets it write anything: the control plane must not believe it about others
                attacker.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.hostStatus(env, intruder), failedVictim);
                for (int i = 1; i <= 3; i++) {
                    attacker.create().withMode(CreateMode.EPHEMERAL).forPath(ZkLayout.host(env, intruder) + "/fake-" + i, failed("fake-" + i, build));
                }
                ctx.say("  %-44s %s", "a status in its own node naming the victim", "written (its own node)");
                ctx.say("  %-44s %s", "three FAILED statuses of fake hosts in it", "written (its own node)");

                RolloutOutcome outcome = plane.awaitOutcome(env, plane.publish(env, build, "sandbox", null), Duration.ofMinutes(2), null);
                RegionStatus counted = region(outcome.status());
                Map<HostState, Integer> states = counted.builds().getOrDefault(build, Map.of());
                int failedCounted = states.getOrDefault(HostState.FAILED, 0);
                int believed = Math.max(0, counted.hosts() - HOSTS) + failedCounted;
                int accepted = written + believed;
                ctx.say("rollout of build %d: %s; the control plane counts %d hosts, %d healthy, %d failed",
                        build, outcome.result(), counted.hosts(), states.getOrDefault(HostState.HEALTHY, 0), failedCounted);
                boolean ok = accepted == 0 && outcome.result() == RolloutOutcome.Result.COMPLETED && counted.hosts() == HOSTS
                        && states.getOrDefault(HostState.HEALTHY, 0) == HOSTS;
                return Result.scenario(name()).ok(ok).put("accepted", accepted);
            }
        }
    }

    private static RegionStatus region(RolloutStatus status) {
        return status.regions().get(0);
    }

    /** A status saying {@code host} failed on {@code build}: enough of them roll the environment back. */
    private static byte[] failed(String host, long build) {
        return new HostStatus(host, "eu", null, build, 1, HostState.FAILED, null, "forged", Instant.now()).toBytes();
    }

    private static boolean refused(Attempt attempt) throws Exception {
        try {
            attempt.run();
            return false;
        } catch (KeeperException.NoAuthException e) {
            return true;
        }
    }
}
