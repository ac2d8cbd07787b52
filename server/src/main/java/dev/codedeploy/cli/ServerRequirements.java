package dev.codedeploy.cli;

import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * What each part of {@code codedeploy server} needs from the configuration, checked before anything starts: a server
 * that would start half its parts and fail later, or run an API nobody can call, refuses at once with one message
 * naming every missing setting and the switch that leaves its part out.
 */
final class ServerRequirements {

    private ServerRequirements() {
    }

    /**
     * @throws ConfigException naming each missing setting
     */
    static void check(CodeDeployConfig cfg, boolean regionSync, boolean driver, boolean conductor, boolean api) {
        List<String> missing = new ArrayList<>();
        boolean zooKeeper = cfg.zooKeeper() != null;
        boolean publicKey = cfg.rollout().publicKey() != null;
        if (zooKeeper && (regionSync || driver) && !publicKey) {
            missing.add("region sync and the rollout driver verify releases with rollout.publicKey (or run with --no-region-sync --no-driver)");
        }
        if (conductor) {
            if (!zooKeeper) {
                missing.add("the deploy conductor publishes to the master ZooKeeper: zooKeeper is missing (or run with --no-conductor)");
            }
            if (cfg.rollout().signingKey() == null) {
                missing.add("the deploy conductor signs releases with rollout.signingKey (or run with --no-conductor)");
            }
            if (!publicKey) {
                missing.add("the deploy conductor reads releases with rollout.publicKey (or run with --no-conductor)");
            }
            if (cfg.regions().isEmpty()) {
                missing.add("the deploy conductor waits for every region to hold a build: regions is empty (or run with --no-conductor)");
            }
        }
        if (api) {
            if (cfg.api().tokens().isEmpty()) {
                missing.add("the API needs api.tokens (create one with 'codedeploy tokens create NAME --scope deploy'), or run with --no-api");
            }
            if (!zooKeeper) {
                missing.add("the API shows and steers rollouts in the master ZooKeeper: zooKeeper is missing (or run with --no-api)");
            }
            if (!publicKey && zooKeeper) {
                missing.add("the API reads releases with rollout.publicKey (or run with --no-api)");
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigException("codedeploy server cannot start: " + String.join("; ", missing.stream().distinct().toList()));
        }
    }
}
