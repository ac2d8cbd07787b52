package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.sandbox.cluster.SandboxCluster;
import dev.codedeploy.sandbox.cluster.Wait;
import java.time.Duration;
import java.util.Map;

/** What the deploy scenarios share: commits whose build takes a while, and waits on a deploy's state through the API. */
final class DeployScenarios {

    private DeployScenarios() {
    }

    /**
     * A commit of the sample whose build sleeps {@code buildSeconds} and makes an artifact of {@code sizeKb}, so that
     * the deploy stays long enough in BUILDING and REPLICATING for a process to be killed there.
     */
    static String slowCommit(SandboxCluster cluster, String message, int buildSeconds, int sizeKb) {
        String spec = """
                build:
                  command: [sh, -c, 'sleep %d; sh build.sh']
                  output: dist
                  timeout: 5m
                  env:
                    SIZE_KB: "%d"
                deploy:
                  healthCheck:
                    command: [bin/app, --health]
                    timeout: 10s
                    retries: 3
                """.formatted(buildSeconds, sizeKb);
        return cluster.repo().commit(message, Map.of(".codedeploy.yml", spec, "CHANGELOG", message + "\n"));
    }

    /** The newest deploy of {@code sha}, once the server has it. */
    static Deploy deployOf(CodeDeployClient client, String sha, Duration within) throws Exception {
        Deploy[] found = new Deploy[1];
        Wait.require("a deploy of " + sha, within, () -> {
            found[0] = client.deploys(SandboxCluster.ENVIRONMENT, false, 50).stream().filter(d -> d.sha().equals(sha)).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    /** Waits until deploy {@code id} is at least in {@code state} (or final), and returns it. */
    static Deploy reached(CodeDeployClient client, long id, DeployState state, Duration within) throws Exception {
        Deploy[] seen = new Deploy[1];
        Wait.require("deploy " + id + " in " + state, within, () -> {
            seen[0] = client.deploy(id);
            return seen[0].state().ordinal() >= state.ordinal();
        });
        return seen[0];
    }
}
