package dev.codedeploy.cli;

import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.release.HostBuckets;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.rollout.HostEnrollment;
import dev.codedeploy.rollout.RolloutAcls;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code codedeploy hosts}: enroll hosts in their region (the node under which only each host may write its status
 * and peer entry), remove them, print a host's derived password. Needs the regions' ZooKeeper control credentials and
 * {@code rollout.hostSecret}; no database.
 */
@Command(name = "hosts", mixinStandardHelpOptions = true,
        description = "Enroll hosts (and seeders) in their region's ZooKeeper, remove them, or print a host's password.",
        subcommands = {HostsCommand.Enroll.class, HostsCommand.Remove.class, HostsCommand.Password.class})
final class HostsCommand {

    private HostsCommand() {
    }

    /** What enroll and remove share: the configuration, the region and the environment. */
    static final class Target {
        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
                description = "The control plane's configuration (YAML): the regions' ZooKeeper and rollout.hostSecret.")
        Path config;
        @Option(names = {"-r", "--region"}, required = true, description = "The hosts' region.") String region;
        @Option(names = {"-e", "--env"}, description = "The environment the hosts follow (default: defaults.environment).")
        String environment;

        CodeDeployConfig load() {
            return ConfigLoader.load(config);
        }

        String environment(CodeDeployConfig loaded) {
            return ZkLayout.checkEnvironment(environment == null ? loaded.defaults().environment() : environment);
        }

        /** A control-plane client of the region's ensemble and the enrollment over it; the caller closes the client. */
        Connected connect(CodeDeployConfig loaded) {
            RegionConfig regionConfig = loaded.regions().stream().filter(r -> r.name().equals(region)).findFirst()
                    .orElseThrow(() -> new ConfigException("region '" + region + "' is not configured; configured: "
                            + loaded.regions().stream().map(RegionConfig::name).toList()));
            ZooKeeperConfig zk = regionConfig.zooKeeper();
            if (zk == null) {
                throw new ConfigException("region '" + region + "' has no zooKeeper: its hosts take no part in rollouts");
            }
            Credentials control = zk.user() == null ? null : new Credentials(zk.user(), zk.password());
            CuratorFramework client = ZooKeeperClients.start(zk, RolloutAcls.controlPlane(control, loaded.rollout().agents()));
            return new Connected(client, new HostEnrollment(region, client, control, loaded.rollout().hostSecret()));
        }
    }

    /** A client and the enrollment through it. */
    record Connected(CuratorFramework client, HostEnrollment enrollment) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    /** {@code codedeploy hosts enroll}. */
    @Command(name = "enroll", mixinStandardHelpOptions = true,
            description = "Enroll hosts: create each one's node in its region (once; nothing per build). Idempotent.")
    static final class Enroll implements Callable<Integer> {
        @Mixin Target target;
        @Parameters(paramLabel = "HOST", arity = "0..*", description = "Host ids (agents' hostId), seeders included.")
        List<String> hosts = new ArrayList<>();
        @Option(names = "--registered", description = "Also enroll every host still registered in the previous, flat layout"
                + " (hosts/<host>): the one step of an upgrade.") boolean registered;
        @Option(names = "--show-password", description = "Print each host's derived password, for its agent's hostPassword.")
        boolean showPassword;
        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            CodeDeployConfig loaded = target.load();
            String environment = target.environment(loaded);
            hosts.forEach(ZkLayout::checkHost);
            PrintWriter out = spec.commandLine().getOut();
            try (Connected connected = target.connect(loaded)) {
                List<String> all = new ArrayList<>(hosts);
                if (registered) {
                    all.addAll(flatLayoutHosts(connected.client(), environment));
                }
                if (all.isEmpty()) {
                    out.println("no host given: name hosts, or --registered to enroll those of the previous layout");
                    return CodeDeployCli.USAGE;
                }
                for (String host : all) {
                    HostEnrollment.Outcome outcome = connected.enrollment().enroll(environment, host);
                    String line = host + " " + outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " at "
                            + ZkLayout.host(environment, host);
                    out.println(showPassword ? line + " password " + connected.enrollment().credentials(host).password() : line);
                }
            }
            return CodeDeployCli.OK;
        }

        private static List<String> flatLayoutHosts(CuratorFramework client, String environment) throws Exception {
            try {
                return client.getChildren().forPath(ZkLayout.hosts(environment)).stream().filter(n -> HostBuckets.indexOf(n) < 0).toList();
            } catch (KeeperException.NoNodeException e) {
                return List.of();
            }
        }
    }

    /** {@code codedeploy hosts remove}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove hosts: their node and what is under it; a running agent of theirs can no longer report.")
    static final class Remove implements Callable<Integer> {
        @Mixin Target target;
        @Parameters(paramLabel = "HOST", arity = "1..*") List<String> hosts;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            CodeDeployConfig loaded = target.load();
            String environment = target.environment(loaded);
            hosts.forEach(ZkLayout::checkHost);
            int missing = 0;
            try (Connected connected = target.connect(loaded)) {
                for (String host : hosts) {
                    boolean removed = connected.enrollment().remove(environment, host);
                    missing += removed ? 0 : 1;
                    spec.commandLine().getOut().println(host + (removed ? " removed" : " was not enrolled"));
                }
            }
            return missing == 0 ? CodeDeployCli.OK : CodeDeployCli.FAILED;
        }
    }

    /** {@code codedeploy hosts password}. */
    @Command(name = "password", mixinStandardHelpOptions = true,
            description = "Print the password of a host's own ZooKeeper identity, derived from rollout.hostSecret.")
    static final class Password implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The configuration, with rollout.hostSecret.")
        Path config;
        @Parameters(paramLabel = "HOST", index = "0") String host;
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            CodeDeployConfig loaded = ConfigLoader.load(config);
            spec.commandLine().getOut().println(HostEnrollment.password(loaded.rollout().hostSecret(), host));
            return CodeDeployCli.OK;
        }
    }
}
