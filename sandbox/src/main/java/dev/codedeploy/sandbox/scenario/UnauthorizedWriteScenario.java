package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.testing.SimulatedHost;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.rollout.RolloutAcls;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutPolicy;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.RolloutSandbox;
import dev.codedeploy.sandbox.cluster.Wait;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * A host's credentials (its own identity, as enrolled) try to replace the release, in its region
 * and in the master, with a record of their own making; to delete it; to take the deploy lock; and to overwrite
 * another host's status. ZooKeeper must refuse every attempt, and the records must be unchanged.
 */
public final class UnauthorizedWriteScenario implements Scenario {

    /** One write that must be refused. */
    @FunctionalInterface
    private interface Attempt {
        void run() throws Exception;
    }

    @Override
    public String name() {
        return "unauthorized-write";
    }

    @Override
    public String description() {
        return "a host's credentials try to write the release, the lock and another host's node: all denied";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        try (RolloutSandbox sandbox = RolloutSandbox.start(ctx.workDir(), List.of("eu"), RolloutPolicy.DEFAULTS, Duration.ofSeconds(30),
                Duration.ofSeconds(1), EnumSet.of(RolloutControlPlane.Role.REGION_SYNC))) {
            String env = RolloutSandbox.ENVIRONMENT;
            String releasePath = ZkLayout.release(env);
            SimulatedHost intruder = sandbox.host("eu", "eu-host-0", SimulatedHost.Behaviour.HEALTHY);
            SimulatedHost victim = sandbox.host("eu", "eu-host-1", SimulatedHost.Behaviour.HEALTHY);
            Release published = sandbox.plane().publish(env, sandbox.deployableBuild(), "sandbox", null).release();
            CuratorFramework regionControl = sandbox.plane().client("eu");
            CuratorFramework masterControl = sandbox.plane().client("master");
            Wait.require("the release in the region and both hosts registered", Duration.ofSeconds(30), () -> regionControl.checkExists().forPath(releasePath) != null && intruder.isRegistered() && victim.isRegistered());
            byte[] regionBefore = regionControl.getData().forPath(releasePath);
            byte[] masterBefore = masterControl.getData().forPath(releasePath);
            ctx.say("build %d published as version %d; host %s attacks with its own and the agents' credentials",
                    published.buildId(), published.version(), intruder.hostId());

            // a record the intruder signed itself, claiming a newer version
            Release forged = new Release(Release.FORMAT, env, published.version() + 100, 999_999, published.sha(), published.repoUrl(),
                    published.artifactKey(), published.torrentKey(), published.manifestKey(), published.size(), published.sha256(),
                    published.pieceSize(), published.artifactFormat(), published.fileName(), null, List.of(100), 0, false, false, null,
                    "intruder", published.publishedAt());
            byte[] forgedBytes = SignedRelease.sign(forged, ReleaseKeys.generate().getPrivate(), "intruder").toBytes();
            CuratorFramework region = intruder.client();
            Credentials own = RolloutSandbox.hostCredentials(intruder.hostId());
            try (CuratorFramework master = ZooKeeperClients.start(RolloutSandbox.zooKeeper(sandbox.masterZooKeeper(), null),
                    RolloutAcls.agent(own), own)) {
                Map<String, Attempt> attempts = new LinkedHashMap<>();
                attempts.put("replace the regional release", () -> region.setData().forPath(releasePath, forgedBytes));
                attempts.put("delete the regional release", () -> region.delete().forPath(releasePath));
                attempts.put("take the regional lock", () -> region.create().forPath(ZkLayout.lock(env), forgedBytes));
                attempts.put("replace the master release", () -> master.setData().forPath(releasePath, forgedBytes));
                attempts.put("take the master lock", () -> master.create().forPath(ZkLayout.lock(env), forgedBytes));
                attempts.put("create another environment", () -> master.create().creatingParentsIfNeeded().forPath(ZkLayout.release("evil"), forgedBytes));
                attempts.put("overwrite another host's status", () -> region.setData().forPath(ZkLayout.hostStatus(env, victim.hostId()),
                        intruder.status().toBytes()));
                attempts.put("delete another host's node", () -> region.delete().forPath(ZkLayout.hostStatus(env, victim.hostId())));
                int denied = 0;
                for (Map.Entry<String, Attempt> a : attempts.entrySet()) {
                    String outcome;
                    try {
                        a.getValue().run();
                        outcome = "ALLOWED";
                    } catch (KeeperException.NoAuthException e) {
                        outcome = "denied";
                        denied++;
                    }
                    ctx.say("  %-34s %s", a.getKey(), outcome);
                }
                boolean unchanged = Arrays.equals(regionBefore, regionControl.getData().forPath(releasePath))
                        && Arrays.equals(masterBefore, masterControl.getData().forPath(releasePath))
                        && regionControl.checkExists().forPath(ZkLayout.lock(env)) == null
                        && masterControl.checkExists().forPath(ZkLayout.lock(env)) == null
                        && victim.isRegistered();
                ctx.say("%d of %d attempts denied; records unchanged: %s", denied, attempts.size(), unchanged);
                boolean allDenied = denied == attempts.size();
                return Result.scenario(name()).ok(allDenied && unchanged).put("denied", allDenied);
            }
        }
    }
}
