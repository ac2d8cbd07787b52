package dev.codedeploy.cli;

import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.build.BuildConfig;
import dev.codedeploy.build.WorkerPool;
import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.database.Database;
import dev.codedeploy.lifecycle.Shutdown;
import dev.codedeploy.monitor.HeartbeatMonitor;
import dev.codedeploy.queue.JobQueue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code codedeploy worker}: builder workers in their own process, until SIGTERM or SIGINT. With {@code --config -} the
 * configuration comes from standard input, up to a line {@code ...} (how {@code codedeploy server} starts its builder
 * workers, see {@link BuilderProcess}); with {@code --stop-at-end-of-input} it then stops when its standard input ends.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run builder workers (and optionally a heartbeat monitor) until stopped.")
final class WorkerCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "Configuration file (YAML); - reads it from standard input, up to a line '...'.")
    Path config;

    @Option(names = "--stop-at-end-of-input", hidden = true, description = "Stop when standard input ends (a parent process has gone).")
    boolean stopAtEndOfInput;

    @Option(names = "--workers", description = "Worker threads; overrides build.workers.")
    Integer workers;

    @Option(names = "--monitor", description = "Also run a heartbeat monitor (default: monitor.enabled).")
    Boolean monitor;

    @Override
    public Integer call() throws InterruptedException {
        CodeDeployConfig cfg = "-".equals(config.toString()) ? ConfigLoader.parse(readStandardInput(), "standard input")
                : ConfigLoader.load(config);
        if (cfg.build() == null) {
            throw new ConfigException(config + ": section 'build' is missing: a worker needs build.workDir");
        }
        if (cfg.rollout().signingKey() != null || cfg.zooKeeper() != null || !cfg.regions().isEmpty()) {
            // builds cannot read them (see BuildSandbox), but a worker machine should not hold what it never uses
            LoggerFactory.getLogger(WorkerCommand.class).warn("{}: this worker's configuration holds {}: builder workers need only"
                    + " database, blobStore, queue and build; keep the signing key and ZooKeeper credentials off worker machines"
                    + " (docs/security.md)", config, cfg.rollout().signingKey() != null ? "the release signing key" : "ZooKeeper settings");
        }
        BuildConfig build = workers == null ? cfg.build() : cfg.build().withWorkers(workers);
        // closed on SIGTERM, the last added first: the pool gives its running jobs back before the database closes
        Shutdown shutdown = Shutdown.onSignal("worker");
        Database database = shutdown.add(Database.open(cfg.database()));
        S3BlobStore store = shutdown.add(new S3BlobStore("master", cfg.blobStore()));
        store.checkReachable();
        JobQueue queue = new JobQueue(database, cfg.queue());
        boolean runMonitor = monitor != null ? monitor : cfg.monitor().enabled();
        HeartbeatMonitor heartbeatMonitor = shutdown.add(new HeartbeatMonitor(queue, build.heartbeatInterval(), cfg.monitor().checkInterval()));
        shutdown.add(new WorkerPool(queue, store, cfg.blobStore(), build)).start();
        if (stopAtEndOfInput) {
            stopAtEndOfInput();
        }
        if (runMonitor) {
            heartbeatMonitor.start();
        }
        System.out.println("worker ready: " + build.workers() + " worker(s), heartbeat every " + build.heartbeatInterval());
        System.out.flush();
        shutdown.await();
        return CodeDeployCli.OK;
    }

    private static String readStandardInput() {
        StringBuilder text = new StringBuilder();
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals(BuilderProcess.END)) {
                text.append(line).append('\n');
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration from standard input: " + e.getMessage());
        }
        return text.toString();
    }

    /** Exits, giving running jobs back (the shutdown hook), once standard input ends: the parent that started us is gone. */
    private static void stopAtEndOfInput() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing more is sent
                }
            } catch (IOException e) {
                // ended too
            }
            System.exit(CodeDeployCli.OK);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
