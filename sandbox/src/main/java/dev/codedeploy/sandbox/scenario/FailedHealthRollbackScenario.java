package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.testing.ReleaseFixture;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.AgentRegion;
import java.time.Duration;
import java.util.List;

/**
 * {@code failed-health-rollback}: every host runs v1; a release of v2 whose health check fails reaches them all;
 * each switches, fails its check, switches back to v1 and reports ROLLED_BACK, and v1 answers its health check
 * again. Options: {@code hosts} (3).
 */
public final class FailedHealthRollbackScenario implements Scenario {

    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Override
    public String name() {
        return "failed-health-rollback";
    }

    @Override
    public String description() {
        return "a release whose health check fails: every host switches back and serves the previous release";
    }

    @Override
    public Result run(ScenarioContext context) throws Exception {
        int n = context.intOption("hosts", 3);
        List<String> hosts = AgentHosts.names(n);
        try (AgentRegion region = AgentRegion.start(context.workDir().resolve("region"))) {
            AgentHosts.start(region, hosts, context);
            ReleaseFixture.Build v1 = region.releases().appTar(1, "v1", 0, 2 << 20, null);
            region.publish(region.releases().release(v1, 1, 3, null));
            if (!region.await(hosts, AgentRegion.in(HostState.HEALTHY, 1), PATIENCE)) {
                context.say("v1 did not reach every host: %s", region.statuses(hosts));
                return Result.scenario(name()).ok(false).put("rolled_back", "0/" + n).put("previous_serving", false);
            }
            context.say("every host runs v1 (build 1); publishing v2 (build 2), whose health check exits 1");
            ReleaseFixture.Build v2 = region.releases().appTar(2, "v2", 1, 2 << 20, null);
            region.publish(region.releases().release(v2, 2, 3, 1L));
            region.await(hosts, s -> s.state() == HostState.ROLLED_BACK || s.state() == HostState.FAILED, PATIENCE);
            int rolledBack = 0;
            boolean serving = true;
            for (String host : hosts) {
                HostStatus status = region.status(host);
                String answer = AgentHosts.serving(region.dataDir(host));
                String link = AgentHosts.currentTarget(region.dataDir(host));
                context.say("%s: %s, current build %s (link %s), health answers %s; error: %s", host, status.state(),
                        status.currentBuildId(), link, answer, status.error());
                if (status.state() == HostState.ROLLED_BACK && Long.valueOf(1).equals(status.currentBuildId())) {
                    rolledBack++;
                }
                serving &= "v1".equals(answer) && "releases/1".equals(link);
            }
            return Result.scenario(name()).ok(rolledBack == n && serving).put("rolled_back", rolledBack + "/" + n)
                    .put("previous_serving", serving);
        }
    }
}
