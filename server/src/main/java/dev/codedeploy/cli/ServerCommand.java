package dev.codedeploy.cli;

import dev.codedeploy.api.ApiConfig;
import dev.codedeploy.api.ApiServer;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.build.BuildConfig;
import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.dashboard.Dashboard;
import dev.codedeploy.database.Database;
import dev.codedeploy.deploys.DeployConductor;
import dev.codedeploy.deploys.Deploys;
import dev.codedeploy.lifecycle.Shutdown;
import dev.codedeploy.metrics.MetricsServer;
import dev.codedeploy.metrics.QueueMetrics;
import dev.codedeploy.monitor.HeartbeatMonitor;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.replication.RegionStores;
import dev.codedeploy.replication.Replicator;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.replication.retention.RetentionService;
import dev.codedeploy.replication.retention.ZooKeeperBuildsInUse;
import dev.codedeploy.rollout.DeployLock;
import dev.codedeploy.rollout.RolloutControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code codedeploy server}: the control plane in one process, as configured: builder workers (in a child process
 * without the signing key and ZooKeeper credentials, see {@link BuilderProcess}), heartbeat monitor, replicator (and
 * retention), region sync, rollout driver, the deploy conductor, the HTTP API with its dashboard and the metrics
 * endpoint. Each part can be switched off, so that a fleet can run them in separate processes. It refuses to start,
 * naming every missing setting, when a part it runs lacks what it needs ({@link ServerRequirements}). Stops cleanly on
 * SIGTERM or SIGINT: running builds go back to the queue, held deploys are let go to the other servers at once.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run the control plane: workers, monitor, replicator, region sync, rollout driver, deploy conductor,",
                "HTTP API and dashboard, metrics. Each part runs when configured and can be switched off here."})
final class ServerCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "Configuration file (YAML).")
    Path config;

    @Option(names = "--no-workers", description = "Run no builder workers (build.workers otherwise).")
    boolean noWorkers;

    @Option(names = "--no-monitor", description = "Run no heartbeat monitor (monitor.enabled otherwise).")
    boolean noMonitor;

    @Option(names = "--no-replicator", description = "Run no replicator (replication.enabled otherwise).")
    boolean noReplicator;

    @Option(names = "--no-region-sync", description = "Run no region sync.")
    boolean noRegionSync;

    @Option(names = "--no-driver", description = "Run no rollout driver.")
    boolean noDriver;

    @Option(names = "--no-conductor", description = "Run no deploy conductor (deploys.conductor otherwise).")
    boolean noConductor;

    @Option(names = "--no-api", description = "Serve no HTTP API (api.enabled otherwise).")
    boolean noApi;

    @Option(names = "--no-dashboard", description = "Serve no dashboard beside the API (see docs/dashboard.md).")
    boolean noDashboard;

    @Option(names = "--api-port", paramLabel = "PORT", description = "Serve the API on this port instead of api.port.")
    Integer apiPort;

    @Option(names = "--metrics-port", defaultValue = "9464", description = "Prometheus metrics port; -1 for none (default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--metrics-host", defaultValue = "0.0.0.0", description = "Address of the metrics endpoint (default ${DEFAULT-VALUE}).")
    String metricsHost;

    @Override
    public Integer call() throws InterruptedException {
        CodeDeployConfig cfg = ConfigLoader.load(config);
        boolean conductor = !noConductor && cfg.deploys().conductor();
        boolean api = !noApi && cfg.api().enabled();
        ServerRequirements.check(cfg, !noRegionSync, !noDriver, conductor, api);
        Shutdown running = Shutdown.onSignal("server");
        List<String> parts = new ArrayList<>();
        MetricsServer metrics = null;
        if (metricsPort >= 0) {
            metrics = start(running, new MetricsServer(metricsHost, metricsPort));
            parts.add("metrics on :" + metrics.port() + "/metrics");
        }
        Database database = keep(running, Database.open(cfg.database()));
        S3BlobStore master = keep(running, new S3BlobStore("master", cfg.blobStore()));
        master.checkReachable();
        JobQueue queue = new JobQueue(database, cfg.queue());
        BuildConfig build = cfg.build();
        if (!noWorkers && build != null && build.workers() > 0) {
            // in a child process of their own: the process that runs builds never holds the signing key or ZooKeeper credentials
            start(running, new BuilderProcess(config, build.workers()));
            parts.add(build.workers() + " builder worker(s) in a child process");
        }
        if (!noMonitor && cfg.monitor().enabled()) {
            start(running, new HeartbeatMonitor(queue, build == null ? BuildConfig.DEFAULT_HEARTBEAT : build.heartbeatInterval(),
                    cfg.monitor().checkInterval()));
            parts.add("heartbeat monitor");
        }
        if (!noReplicator && cfg.replication().enabled() && !cfg.regions().isEmpty()) {
            RegionStores stores = keep(running, RegionStores.open(cfg.blobStore(), cfg.regions()));
            Replicator.Builder builder = Replicator.builder(database, stores, cfg.replication());
            if (metrics != null) {
                builder.meterRegistry(metrics.registry());
            }
            Replicator replicator = builder.build();
            start(running, replicator);
            parts.add("replicator for " + replicator.regions());
            if (cfg.replication().retention().enabled() && cfg.zooKeeper() != null) {
                ZooKeeperBuildsInUse inUse = keep(running, ZooKeeperBuildsInUse.open(cfg.zooKeeper(), cfg.regions()));
                start(running, new RetentionService(database, stores, inUse, cfg.replication()));
                parts.add("retention");
            }
        }
        if (cfg.zooKeeper() != null && !(noRegionSync && noDriver && !conductor && !api)) {
            Set<RolloutControlPlane.Role> roles = EnumSet.noneOf(RolloutControlPlane.Role.class);
            if (!noRegionSync) {
                roles.add(RolloutControlPlane.Role.REGION_SYNC);
            }
            if (!noDriver) {
                roles.add(RolloutControlPlane.Role.DRIVER);
            }
            RolloutControlPlane plane = start(running, RolloutControlPlane.of(cfg, database, master, roles));
            parts.add("rollout " + roles);
            DeployGate gate = new DeployGate(database, cfg.regions().stream().map(RegionConfig::name).collect(Collectors.toSet()),
                    cfg.replication().gateOverride());
            Deploys deploys = new Deploys(database, cfg.deploys(), cfg.environments(), cfg.defaults(),
                    env -> plane.locks().current(env).map(DeployLock::describe));
            if (conductor) {
                String id = "server-" + hostName() + "-" + ProcessHandle.current().pid();
                start(running, DeployConductor.of(database, plane, gate, cfg.deploys(), id));
                parts.add("deploy conductor " + id);
            }
            if (api) {
                ApiConfig apiConfig = apiPort == null ? cfg.api() : cfg.api().with(apiPort, cfg.api().tokens());
                ApiServer server = new ApiServer(apiConfig, deploys, queue, gate, master, plane, Duration.ofMillis(250));
                if (!noDashboard) {
                    server.extend(new Dashboard());
                }
                start(running, server);
                String base = (apiConfig.tls() == null ? "http" : "https") + "://" + apiConfig.host() + ":" + server.port();
                parts.add("API on " + base + "/api/v1" + (noDashboard ? "" : ", dashboard on " + base + Dashboard.PATH));
            }
        }
        if (metrics != null) {
            new QueueMetrics(queue).bindTo(metrics.registry());
        }
        System.out.println("server ready: " + String.join(", ", parts));
        System.out.flush();
        running.await();
        return CodeDeployCli.OK;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static <T extends dev.codedeploy.lifecycle.Service> T start(Shutdown running, T service) {
        running.add(service).start();
        return service;
    }

    private static <T extends AutoCloseable> T keep(Shutdown running, T resource) {
        return running.add(resource);
    }
}
