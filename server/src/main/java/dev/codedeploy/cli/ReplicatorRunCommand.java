package dev.codedeploy.cli;

import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.database.Database;
import dev.codedeploy.lifecycle.Shutdown;
import dev.codedeploy.metrics.MetricsServer;
import dev.codedeploy.replication.RegionStores;
import dev.codedeploy.replication.Replicator;
import dev.codedeploy.replication.retention.RetentionService;
import dev.codedeploy.replication.retention.ZooKeeperBuildsInUse;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code codedeploy replication run}: a replicator (and retention, when enabled) until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Copy COMPLETED builds to every region until stopped; also run retention when replication.retention.enabled.")
final class ReplicatorRunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "Configuration file (YAML).")
    Path config;

    @Option(names = "--metrics-port", description = "Serve Prometheus metrics on http://0.0.0.0:PORT/metrics (default: off).")
    Integer metricsPort;

    @Override
    public Integer call() throws InterruptedException, IOException {
        CodeDeployConfig cfg = ConfigLoader.load(config);
        if (!cfg.replication().enabled()) {
            throw new ConfigException(config + ": replication.enabled is false: set it to true to run a replicator here");
        }
        if (cfg.regions().isEmpty()) {
            throw new ConfigException(config + ": section 'regions' is empty: there is nowhere to replicate to");
        }
        Shutdown shutdown = Shutdown.onSignal("replicator");
        MetricsServer metrics = shutdown.add(new MetricsServer("0.0.0.0", metricsPort == null ? 0 : metricsPort));
        if (metricsPort != null) {
            metrics.start();
        }
        MeterRegistry registry = metrics.registry();
        Database database = shutdown.add(Database.open(cfg.database()));
        RegionStores stores = shutdown.add(RegionStores.open(cfg.blobStore(), cfg.regions()));
        ZooKeeperBuildsInUse inUse = cfg.replication().retention().enabled()
                ? shutdown.add(ZooKeeperBuildsInUse.open(cfg.zooKeeper(), cfg.regions())) : null;
        Replicator replicator = shutdown.add(Replicator.builder(database, stores, cfg.replication()).meterRegistry(registry).build());
        RetentionService retention = inUse == null ? null : shutdown.add(new RetentionService(database, stores, inUse, cfg.replication()));
        replicator.start();
        if (retention != null) {
            retention.start();
        }
        System.out.println("replicator " + replicator.id() + " ready: regions " + replicator.regions()
                + (retention == null ? "" : ", retention every " + cfg.replication().retention().interval())
                + (metricsPort == null ? "" : ", metrics on :" + metrics.port() + "/metrics"));
        System.out.flush();
        shutdown.await();
        return CodeDeployCli.OK;
    }
}
