package dev.codedeploy.sandbox.cluster;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.database.Database;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.testing.EmbeddedMariaDb;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.GitDaemon;
import dev.codedeploy.testing.SampleRepository;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The build side of the system on embedded servers: MariaDB, the master S3, a sample repository behind
 * {@code git daemon}, and builder workers as separate processes. Scenarios and the demo start one under their
 * work folder and close it at the end, which stops every server and process.
 */
public final class BuildCluster implements AutoCloseable {

    /** The master bucket. */
    public static final String MASTER_BUCKET = "codedeploy-master";

    private final Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<ChildProcess> workers = new ArrayList<>();
    private EmbeddedMariaDb mariaDb;
    private EmbeddedS3 s3;
    private GitDaemon git;
    private SampleRepository repo;
    private DatabaseConfig databaseConfig;
    private BlobStoreConfig masterConfig;
    private Database database;
    private S3BlobStore master;
    private JobQueue queue;

    private BuildCluster(Path dir) {
        this.dir = dir;
    }

    /** Starts MariaDB, S3Proxy and git daemon under {@code dir} and creates the sample repository. */
    public static BuildCluster start(Path dir, QueueConfig queueConfig) {
        GitDaemon.checkInstalled();
        BuildCluster cluster = new BuildCluster(dir);
        try {
            cluster.mariaDb = cluster.keep(EmbeddedMariaDb.start(dir.resolve("mariadb")));
            cluster.databaseConfig = new DatabaseConfig(cluster.mariaDb.createDatabase("codedeploy"), "root", "", 40);
            cluster.s3 = cluster.keep(EmbeddedS3.start(dir.resolve("s3-master")));
            cluster.masterConfig = BlobStoreConfig.of(cluster.s3.endpoint(), MASTER_BUCKET, EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY);
            cluster.master = cluster.keep(new S3BlobStore("master", cluster.masterConfig));
            cluster.master.createBucketIfMissing();
            cluster.database = cluster.keep(Database.open(cluster.databaseConfig));
            cluster.queue = new JobQueue(cluster.database, queueConfig);
            cluster.repo = cluster.keep(SampleRepository.create(dir.resolve("git").resolve("sample")));
            cluster.git = cluster.keep(GitDaemon.start(dir.resolve("git")));
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    /** The git URL of the sample repository. */
    public String repoUrl() {
        return git.urlOf("sample");
    }

    /** The sample repository, to add commits. */
    public SampleRepository repo() {
        return repo;
    }

    /** The queue. */
    public JobQueue queue() {
        return queue;
    }

    /** The database. */
    public Database database() {
        return database;
    }

    /** The master blob store. */
    public S3BlobStore master() {
        return master;
    }

    /** The master store's settings. */
    public BlobStoreConfig masterConfig() {
        return masterConfig;
    }

    /** The database settings. */
    public DatabaseConfig databaseConfig() {
        return databaseConfig;
    }

    /** The embedded MariaDB. */
    public EmbeddedMariaDb mariaDb() {
        return mariaDb;
    }

    /**
     * Writes a configuration file for worker processes.
     *
     * @param heartbeat the heartbeat interval (the monitor requeues after twice that)
     */
    public Path writeWorkerConfig(String name, Duration heartbeat, int maxAttempts) {
        String yaml = String.format("""
                database: {url: "%s", user: root, password: "", poolSize: 4}
                blobStore: {endpoint: "%s", bucket: %s, accessKey: %s, secretKey: %s, pathStyle: true}
                queue: {maxAttempts: %d}
                build: {workers: 1, workDir: "%s", heartbeatInterval: %dms, pollInterval: 200ms}
                monitor: {enabled: true, checkInterval: %dms}
                """, databaseConfig.url(), masterConfig.endpoint(), MASTER_BUCKET, EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY,
                maxAttempts, dir.resolve("work").resolve(name), heartbeat.toMillis(), Math.max(100, heartbeat.toMillis() / 4));
        Path file = dir.resolve("config").resolve(name + ".yml");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Starts a builder worker process ({@code codedeploy worker}) with its own monitor, and waits until it is ready.
     */
    public ChildProcess startWorker(String name, Duration heartbeat, int maxAttempts) {
        Path config = writeWorkerConfig(name, heartbeat, maxAttempts);
        ChildProcess worker = ChildProcess.start(name, "dev.codedeploy.cli.CodeDeployCli",
                List.of("worker", "--config", config.toString()),
                List.of("-Dcodedeploy.fenced.log=DEBUG", "-Dcodedeploy.log=INFO"), dir.resolve("logs").resolve(name + ".log"));
        workers.add(worker);
        if (!worker.awaitLog(java.util.regex.Pattern.compile("worker ready"), Duration.ofSeconds(60))) {
            throw worker.notStarted("worker " + name);
        }
        return worker;
    }

    /** The worker processes started so far. */
    public List<ChildProcess> workers() {
        return workers;
    }

    @Override
    public void close() {
        for (ChildProcess worker : workers) {
            worker.close();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception ignored) {
                // keep closing the rest
            }
        }
    }
}
