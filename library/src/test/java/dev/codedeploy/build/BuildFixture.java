package dev.codedeploy.build;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.database.Database;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.GitDaemon;
import dev.codedeploy.testing.SampleRepository;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/** A database, a master bucket, a sample repository behind git daemon, and a worker pool over them. */
final class BuildFixture implements AutoCloseable {

    final Database database;
    final JobQueue queue;
    final BlobStoreConfig storeConfig;
    final S3BlobStore store;
    final SampleRepository repo;
    final GitDaemon daemon;
    final Path workDir;
    final BuildConfig buildConfig;
    WorkerPool pool;

    BuildFixture(int workers, Duration heartbeat) {
        database = TestServers.newDatabase(8);
        queue = new JobQueue(database, new QueueConfig(5));
        storeConfig = TestServers.newBucketConfig();
        store = TestServers.newBlobStore("master", storeConfig);
        Path served = EmbeddedServers.newFolder("git");
        repo = SampleRepository.create(served.resolve("sample"));
        daemon = GitDaemon.start(served);
        workDir = EmbeddedServers.newFolder("work");
        buildConfig = new BuildConfig(workers, workDir, heartbeat, Duration.ofMillis(100), Duration.ofMinutes(2), Duration.ofMinutes(10), false);
    }

    String url() {
        return daemon.urlOf("sample");
    }

    WorkerPool startPool() {
        return startPool(store, buildConfig);
    }

    /** A pool over {@code blobs} (the store, or a wrapper of it that injects faults) with {@code config}. */
    WorkerPool startPool(dev.codedeploy.blob.BlobStore blobs, BuildConfig config) {
        pool = new WorkerPool(queue, blobs, storeConfig, config);
        pool.start();
        return pool;
    }

    /** Commits a spec and files, returns the SHA. */
    String commitSpec(String spec, Map<String, String> files) {
        var all = new java.util.HashMap<>(files);
        all.put(".codedeploy.yml", spec);
        return repo.commit("test", all);
    }

    Job awaitFinal(long jobId) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> queue.find(jobId).orElseThrow().status().isFinal());
        return queue.find(jobId).orElseThrow();
    }

    Job awaitStage(long jobId, BuildStage stage) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    Job j = queue.find(jobId).orElseThrow();
                    return j.status() == JobStatus.RUNNING && stage.name().equals(j.stage());
                });
        return queue.find(jobId).orElseThrow();
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
        daemon.close();
        repo.close();
        store.close();
        database.close();
    }
}
