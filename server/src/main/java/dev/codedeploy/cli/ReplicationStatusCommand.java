package dev.codedeploy.cli;

import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.json.Json;
import dev.codedeploy.replication.BuildReplica;
import dev.codedeploy.replication.RegionReplication;
import dev.codedeploy.replication.ReplicaStatus;
import dev.codedeploy.replication.ReplicationStatus;
import dev.codedeploy.replication.gate.DeployGate;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code codedeploy replication status}: each region's backlog and lag, or where one build stands. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show each region's backlog and lag, or one build's replicas.")
final class ReplicationStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, description = "Configuration file (YAML).")
    Path config;

    @Option(names = "--build", description = "Show this build's replicas and whether it is deployable.")
    Long build;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        CodeDeployConfig cfg = ConfigLoader.load(config);
        PrintWriter out = spec.commandLine().getOut();
        Set<String> regions = cfg.regions().stream().map(RegionConfig::name).collect(Collectors.toSet());
        try (Database database = Database.open(cfg.database())) {
            ReplicationStatus status = new ReplicationStatus(database, regions);
            if (build == null) {
                List<RegionReplication> rows = status.regions();
                if (json) {
                    out.println(Json.pretty(rows));
                } else {
                    out.printf(Locale.ROOT, "%-16s %9s %7s %7s %6s %7s %9s  %s%n", "REGION", "COMPLETED", "PENDING", "RUNNING",
                            "FAILED", "WAITING", "LAG", "LAST ERROR");
                    for (RegionReplication r : rows) {
                        Map<ReplicaStatus, Long> c = r.counts();
                        out.printf(Locale.ROOT, "%-16s %9d %7d %7d %6d %7d %8.1fs  %s%n", r.region(), c.get(ReplicaStatus.COMPLETED),
                                c.get(ReplicaStatus.PENDING), c.get(ReplicaStatus.RUNNING), c.get(ReplicaStatus.FAILED), r.waiting(),
                                r.lagSeconds(), r.lastError() == null ? "" : r.lastError());
                    }
                }
                return CodeDeployCli.OK;
            }
            List<BuildReplica> rows = status.build(build);
            boolean deployable = new DeployGate(database, regions).isDeployable(build);
            if (json) {
                out.println(Json.pretty(Map.of("build", build, "deployable", deployable, "replicas", rows)));
            } else {
                out.printf(Locale.ROOT, "%-16s %-9s %8s %9s  %s%n", "REGION", "STATUS", "ATTEMPTS", "LAG", "ERROR");
                for (BuildReplica r : rows) {
                    out.printf(Locale.ROOT, "%-16s %-9s %8d %8.1fs  %s%n", r.region(), r.status(), r.attempts(), r.lagSeconds(),
                            r.error() == null ? "" : r.error());
                }
                out.println("build " + build + (deployable ? " is deployable: every region holds it" : " is not deployable yet"));
            }
            return deployable ? CodeDeployCli.OK : CodeDeployCli.FAILED;
        }
    }
}
