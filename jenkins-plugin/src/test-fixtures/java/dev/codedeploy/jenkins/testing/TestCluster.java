package dev.codedeploy.jenkins.testing;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.build.BuildConfig;
import dev.codedeploy.build.WorkerPool;
import dev.codedeploy.database.Database;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.GitDaemon;
import dev.codedeploy.testing.SampleRepository;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.PageRequest;
import dev.codedeploy.queue.QueueConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The build side of codedeploy for the step's tests, offline and under JenkinsRule alike: a database and a master
 * bucket of their own on the JVM's shared embedded MariaDB and S3Proxy, the sample repository behind {@code git
 * daemon}, and builder workers in this process, started when a test asks (so that a job can also stay queued).
 */
public final class TestCluster implements AutoCloseable {

    /** What the step's global configuration uses for the database. */
    public static final String DATABASE_USER = "root";
    /** A build that fails with a message on stderr. */
    public static final String FAILING_SPEC = "build: {command: [sh, -c, 'echo compiler says no >&2; exit 3'], output: dist}";
    /** A build that runs until it is cancelled. */
    public static final String SLOW_SPEC = "build: {command: [sh, -c, 'sleep 120'], output: dist}";

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final String databaseUrl;
    private final Database database;
    private final JobQueue queue;
    private final BlobStoreConfig storeConfig;
    private final S3BlobStore store;
    private final SampleRepository repo;
    private final GitDaemon daemon;
    private final Path workDir;
    private final List<WorkerPool> pools = new ArrayList<>();

    private TestCluster() {
        databaseUrl = EmbeddedServers.newDatabase("jenkins");
        database = Database.open(new DatabaseConfig(databaseUrl, DATABASE_USER, "", 4));
        queue = new JobQueue(database, QueueConfig.DEFAULTS);
        String bucket = "jenkins-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        storeConfig = BlobStoreConfig.of(EmbeddedServers.s3().endpoint(), bucket, EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY);
        store = new S3BlobStore("master", storeConfig);
        store.createBucketIfMissing();
        Path served = EmbeddedServers.newFolder("git");
        repo = SampleRepository.create(served.resolve("sample"));
        daemon = GitDaemon.start(served);
        workDir = EmbeddedServers.newFolder("work");
    }

    /** Starts the servers (shared, once per JVM) and makes this cluster's database, bucket and repository. */
    public static TestCluster start() {
        return new TestCluster();
    }

    /** Starts one builder worker in this process; it heartbeats every 500 ms so that a cancel lands fast. */
    public WorkerPool startWorker() {
        BuildConfig config = new BuildConfig(1, workDir, Duration.ofMillis(500), Duration.ofMillis(100),
                Duration.ofMinutes(2), Duration.ofMinutes(5), false);
        WorkerPool pool = new WorkerPool(queue, store, storeConfig, config);
        pool.start();
        pools.add(pool);
        return pool;
    }

    /** Stops the workers started so far; their running jobs go back to the queue. */
    public void stopWorkers() {
        pools.forEach(WorkerPool::close);
        pools.clear();
    }

    /** Commits {@code files} with the sample's own (working) {@code .codedeploy.yml} and returns the new SHA. */
    public String commit(Map<String, String> files) {
        Map<String, String> all = new HashMap<>(files);
        all.putIfAbsent(".codedeploy.yml", SampleRepository.SPEC);
        return repo.commit("test commit", all);
    }

    /** Commits a new {@code .codedeploy.yml} and returns the new SHA. */
    public String commitSpec(String spec) {
        Map<String, String> files = new HashMap<>();
        files.put(".codedeploy.yml", spec);
        return repo.commit("test spec", files);
    }

    /** The newest job of {@code sha}, if one was queued. */
    public Job newestJob(String sha) {
        List<Job> jobs = queue.findBySha(sha, PageRequest.first(1));
        return jobs.isEmpty() ? null : jobs.get(0);
    }

    /** The newest job of any commit, if any. */
    public Job newestJob() {
        List<Job> jobs = queue.findRecent(PageRequest.first(1));
        return jobs.isEmpty() ? null : jobs.get(0);
    }

    /** The queue. */
    public JobQueue queue() {
        return queue;
    }

    /** The git URL of the sample repository. */
    public String repoUrl() {
        return daemon.urlOf("sample");
    }

    /** The JDBC URL of this cluster's database (user {@link #DATABASE_USER}, empty password). */
    public String databaseUrl() {
        return databaseUrl;
    }

    /** The master store's endpoint. */
    public URI blobStoreEndpoint() {
        return storeConfig.endpoint();
    }

    /** The master bucket. */
    public String bucket() {
        return storeConfig.bucket();
    }

    @Override
    public void close() {
        stopWorkers();
        daemon.close();
        repo.close();
        store.close();
        database.close();
    }
}
