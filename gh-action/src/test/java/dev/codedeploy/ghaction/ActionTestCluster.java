package dev.codedeploy.ghaction;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.build.BuildConfig;
import dev.codedeploy.build.WorkerPool;
import dev.codedeploy.database.Database;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.embedded.EmbeddedS3;
import dev.codedeploy.embedded.EmbeddedServers;
import dev.codedeploy.embedded.GitDaemon;
import dev.codedeploy.embedded.SampleRepository;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.PageRequest;
import dev.codedeploy.queue.QueueConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The build side of codedeploy for the action's tests: a database of its own on the shared embedded MariaDB (with a
 * password in the configuration that the action must keep secret); a master bucket on the shared S3Proxy; the sample repository
 * behind {@code git daemon}; and one builder worker in this process. The action runs in another process and reaches
 * them over loopback through the configuration {@link #configYaml()} writes.
 */
final class ActionTestCluster implements AutoCloseable {

    /** A build that fails with a message on stderr, after long enough for the action to see it running. */
    static final String FAILING_SPEC = "build: {command: [sh, -c, 'sleep 2; echo compiler says no >&2; exit 3'], output: dist}";
    /** A build that runs until it is cancelled. */
    static final String SLOW_SPEC = "build: {command: [sh, -c, 'sleep 120'], output: dist}";
    /** The environment variables the configuration takes its secrets from. */
    static final String DB_PASSWORD_VARIABLE = "CODEDEPLOY_DB_PASSWORD";
    static final String S3_SECRET_VARIABLE = "CODEDEPLOY_S3_SECRET";

    private final String databaseUrl;
    private final String databaseUser;
    private final String databasePassword;
    private final Database database;
    private final JobQueue queue;
    private final BlobStoreConfig storeConfig;
    private final S3BlobStore store;
    private final SampleRepository repo;
    private final GitDaemon daemon;
    private final WorkerPool worker;

    ActionTestCluster() {
        databaseUrl = EmbeddedServers.newDatabase("ghaction");
        // the embedded MariaDB skips grant tables, so it takes any password: the action still has to carry and hide one
        databaseUser = "root";
        databasePassword = "db-pw-" + UUID.randomUUID();
        database = Database.open(new DatabaseConfig(databaseUrl, "root", "", 4));
        queue = new JobQueue(database, QueueConfig.DEFAULTS);
        storeConfig = BlobStoreConfig.of(EmbeddedServers.s3().endpoint(), "ghaction-" + ProcessHandle.current().pid(),
                EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY);
        store = new S3BlobStore("master", storeConfig);
        store.createBucketIfMissing();
        Path served = EmbeddedServers.newFolder("git");
        repo = SampleRepository.create(served.resolve("sample"));
        daemon = GitDaemon.start(served);
        BuildConfig build = new BuildConfig(1, EmbeddedServers.newFolder("work"), Duration.ofMillis(500), Duration.ofMillis(100),
                Duration.ofMinutes(2), Duration.ofMinutes(5), false);
        worker = new WorkerPool(queue, store, storeConfig, build);
        worker.start();
    }

    /**
     * The codedeploy configuration of this cluster, its secrets as {@code ${VARIABLES}}: give them with
     * {@link #secretEnv()}, as a workflow gives secrets in the step's {@code env:}.
     */
    String configYaml() {
        return """
                database:
                  url: "%s"
                  user: %s
                  password: "${%s}"
                  poolSize: 2
                blobStore:
                  endpoint: "%s"
                  bucket: %s
                  accessKey: %s
                  secretKey: "${%s}"
                  pathStyle: true
                """.formatted(databaseUrl, databaseUser, DB_PASSWORD_VARIABLE, storeConfig.endpoint(), storeConfig.bucket(),
                storeConfig.accessKey(), S3_SECRET_VARIABLE);
    }

    /** The secrets {@link #configYaml()} refers to. */
    Map<String, String> secretEnv() {
        Map<String, String> env = new HashMap<>();
        env.put(DB_PASSWORD_VARIABLE, databasePassword);
        env.put(S3_SECRET_VARIABLE, storeConfig.secretKey());
        return env;
    }

    /** The database user's password. */
    String databasePassword() {
        return databasePassword;
    }

    /** The blob store's secret key. */
    String blobStoreSecret() {
        return storeConfig.secretKey();
    }

    /** Commits {@code files} with the sample's working {@code .codedeploy.yml} and returns the SHA. */
    String commit(Map<String, String> files) {
        Map<String, String> all = new HashMap<>(files);
        all.putIfAbsent(".codedeploy.yml", SampleRepository.SPEC);
        return repo.commit("test commit", all);
    }

    /** Commits a new {@code .codedeploy.yml} and returns the SHA. */
    String commitSpec(String spec) {
        return repo.commit("test spec", Map.of(".codedeploy.yml", spec));
    }

    /** The newest job of {@code sha}, or null. */
    Job newestJob(String sha) {
        List<Job> jobs = queue.findBySha(sha, PageRequest.first(1));
        return jobs.isEmpty() ? null : jobs.get(0);
    }

    /** The newest job of any commit, or null. */
    Job newestJob() {
        List<Job> jobs = queue.findRecent(PageRequest.first(1));
        return jobs.isEmpty() ? null : jobs.get(0);
    }

    /** The git URL of the sample repository. */
    String repoUrl() {
        return daemon.urlOf("sample");
    }

    @Override
    public void close() {
        worker.close();
        daemon.close();
        repo.close();
        store.close();
        database.close();
    }
}
