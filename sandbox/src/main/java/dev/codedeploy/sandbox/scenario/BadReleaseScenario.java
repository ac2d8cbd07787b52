package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.testing.SimulatedHost;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.rollout.RegionSync;
import dev.codedeploy.rollout.ReleasePublisher;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutOutcome;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.RolloutSandbox;
import dev.codedeploy.sandbox.cluster.Wait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;

/**
 * A release record with a broken signature appears in a regional ZooKeeper (written with the control plane's own
 * credentials, as a compromised or buggy writer would): a newer version pointing at a build that does not exist. Every
 * host of the region must see it, refuse it and do nothing; region sync must put the master's record back at its next
 * sync; and the next real release must still reach every host.
 */
public final class BadReleaseScenario implements Scenario {

    private static final long FORGED_BUILD = 999_999;

    @Override
    public String name() {
        return "bad-release";
    }

    @Override
    public String description() {
        return "a wrongly signed release record appears in a region: no host acts on it, region sync repairs it";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        int perRegion = ctx.intOption("hostsPerRegion", 4);
        try (RolloutSandbox sandbox = RolloutSandbox.forTampering(ctx.workDir())) {
            String env = RolloutSandbox.ENVIRONMENT;
            RolloutControlPlane plane = sandbox.plane();
            List<SimulatedHost> hosts = sandbox.hosts(perRegion);
            long first = sandbox.deployableBuild();
            RolloutOutcome done = sandbox.deploy(first);
            ctx.say("build %d on %d hosts: %s", first, hosts.size(), done.result());

            CuratorFramework eu = plane.client("eu");
            String path = ZkLayout.release(env);
            byte[] good = eu.getData().forPath(path);
            long version = plane.release(env).orElseThrow().version();
            String broken = new String(good, StandardCharsets.UTF_8)
                    .replace("\\\"buildId\\\":" + first + ",", "\\\"buildId\\\":" + FORGED_BUILD + ",")
                    .replace("\\\"version\\\":" + version + ",", "\\\"version\\\":" + (version + 1000) + ",");
            eu.setData().forPath(path, broken.getBytes(StandardCharsets.UTF_8));
            ctx.say("wrote a record for build %d, version %d, with the signature of version %d into region eu", FORGED_BUILD,
                    version + 1000, version);

            List<SimulatedHost> euHosts = hosts.stream().filter(h -> h.status().region().equals("eu")).toList();
            boolean allRefused = Wait.until(Duration.ofSeconds(30), () -> euHosts.stream().allMatch(h -> h.rejectedRecords() >= 1));
            long acted = hosts.stream().filter(h -> h.actedOn().contains(version + 1000)
                    || Long.valueOf(FORGED_BUILD).equals(h.status().targetBuildId())).count();
            ctx.say("eu hosts that refused it: %d of %d; hosts that acted on it: %d", euHosts.stream().filter(h -> h.rejectedRecords() >= 1).count(),
                    euHosts.size(), acted);

            RegionSync euSync = plane.regionSyncs().stream().filter(s -> s.region().equals("eu")).findFirst().orElseThrow();
            euSync.syncAll();
            boolean repaired = Arrays.equals(good, eu.getData().forPath(path));
            ctx.say("region sync put the master's record back: %s", repaired);

            long second = sandbox.deployableBuild();
            ReleasePublisher.Published next = plane.publish(env, second, "sandbox", null);
            RolloutOutcome after = plane.awaitOutcome(env, next, Duration.ofSeconds(60), null);
            boolean allOnSecond = hosts.stream().allMatch(h -> h.status().state() == HostState.HEALTHY
                    && Long.valueOf(second).equals(h.status().currentBuildId()));
            ctx.say("next build %d: %s, on every host: %s", second, after.result(), allOnSecond);
            return Result.scenario(name()).ok(acted == 0 && allRefused && repaired && allOnSecond
                            && after.result() == RolloutOutcome.Result.COMPLETED)
                    .put("hosts_acted", acted);
        }
    }
}
