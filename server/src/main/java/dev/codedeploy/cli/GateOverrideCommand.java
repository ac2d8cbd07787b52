package dev.codedeploy.cli;

import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.replication.gate.GateOverride;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code codedeploy replication override}: let a build that a quorum of regions holds through the deploy gate. */
@Command(name = "override", mixinStandardHelpOptions = true,
        description = "Let a build through the deploy gate to one environment once a quorum of regions holds it"
                + " (replication.gateOverride.enabled must be true). Recorded with who and why.")
final class GateOverrideCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, description = "Configuration file (YAML).")
    Path config;

    @Option(names = "--build", required = true, description = "The build (job id).")
    long build;

    @Option(names = "--env", required = true, description = "The environment it may be deployed to.")
    String environment;

    @Option(names = "--actor", description = "Who uses the override (default: the user name).")
    String actor = System.getProperty("user.name");

    @Option(names = "--reason", required = true, description = "Why it must go out before every region has it.")
    String reason;

    @Override
    public Integer call() {
        CodeDeployConfig cfg = ConfigLoader.load(config);
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = Database.open(cfg.database())) {
            DeployGate gate = new DeployGate(database, cfg.regions().stream().map(RegionConfig::name).collect(Collectors.toSet()),
                    cfg.replication().gateOverride());
            GateOverride o = gate.override(build, environment, actor, reason);
            out.println("override " + o.id() + " recorded: build " + build + " may be deployed to " + environment + " by " + o.actor()
                    + "; in " + o.regionsCompleted() + ", missing in " + o.regionsMissing());
            return CodeDeployCli.OK;
        }
    }
}
