package dev.codedeploy.build;

import static org.assertj.core.api.Assertions.assertThat;

import bt.metainfo.MetadataService;
import bt.metainfo.Torrent;
import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BuildKeys;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.testing.SampleRepository;
import dev.codedeploy.queue.CancelResult;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobStatus;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    private BuildFixture fx;

    @BeforeEach
    void setUp() {
        fx = new BuildFixture(2, Duration.ofMillis(500));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void buildsACommitServedByGitDaemonAndStoresEverythingBeforeCompleting() throws Exception {
        String sha = fx.repo.commit("second", Map.of("README", "hello"));
        Job job = fx.queue.enqueue(fx.url(), sha, "test");
        fx.startPool();
        Job done = fx.awaitFinal(job.id());

        assertThat(done.status()).as(done.error()).isEqualTo(JobStatus.COMPLETED);
        BuildKeys keys = BuildKeys.of(sha, job.id(), 1);
        assertThat(done.artifactKey()).isEqualTo(keys.artifact());
        BlobInfo stored = fx.store.head(keys.artifact()).orElseThrow();
        assertThat(stored.size()).isEqualTo(done.artifactSize());
        try (InputStream in = fx.store.open(keys.artifact())) {
            assertThat(FileDigest.sha256(in)).isEqualTo(done.artifactSha256());
        }
        assertThat(tarEntries(fx.store.getBytes(keys.artifact()))).contains("bin/app", "VERSION", "filler.bin");

        Torrent torrent = new MetadataService().fromByteArray(fx.store.getBytes(keys.torrent()));
        assertThat(torrent.getSize()).isEqualTo(done.artifactSize());
        assertThat(torrent.getChunkSize()).isEqualTo((long) PieceSize.of(done.artifactSize()));
        assertThat(torrent.getChunkSize()).isEqualTo((long) BuildManifest.fromJson(fx.store.getBytes(keys.manifest()), keys.manifest()).pieceSize());

        BuildManifest manifest = BuildManifest.fromJson(fx.store.getBytes(keys.manifest()), keys.manifest());
        assertThat(manifest.sha()).isEqualTo(sha);
        assertThat(manifest.sha256()).isEqualTo(done.artifactSha256());
        assertThat(manifest.format()).isEqualTo("TAR");
        assertThat(manifest.deploy().path("healthCheck").isObject()).isTrue();
        // what the publisher will compare the manifest with
        assertThat(done.manifestSha256()).isEqualTo(FileDigest.sha256(fx.store.getBytes(keys.manifest())));
        assertThat(done.deployDigest()).isEqualTo(manifest.deployDigest()).matches("[0-9a-f]{64}");
        assertThat(new String(fx.store.getBytes(keys.log()), StandardCharsets.UTF_8)).contains("building " + sha);
    }

    @Test
    void aFileOutputIsStoredAsIs() {
        String sha = fx.commitSpec("build: {command: [sh, -c, 'mkdir -p out && printf hello > out/app.bin'], output: out/app.bin}", Map.of());
        Job job = fx.queue.enqueue(fx.url(), sha, "test");
        fx.startPool();
        Job done = fx.awaitFinal(job.id());
        assertThat(done.status()).as(done.error()).isEqualTo(JobStatus.COMPLETED);
        assertThat(new String(fx.store.getBytes(done.artifactKey()), StandardCharsets.UTF_8)).isEqualTo("hello");
        BuildManifest manifest = BuildManifest.fromJson(fx.store.getBytes(done.manifestKey()), "m");
        assertThat(manifest.format()).isEqualTo("FILE");
        assertThat(manifest.fileName()).isEqualTo("app.bin");
    }

    @Test
    void eachBadBuildFailsWithItsReasonAndLogWhileAGoodOneStillCompletes() {
        record Case(String spec, String expectedError) {
        }
        List<Case> cases = List.of(
                new Case("build: {command: [sh, -c, 'echo boom; exit 3'], output: dist}", "exited with code 3"),
                new Case("build: {command: [sh, -c, 'sleep 30'], output: dist, timeout: 1s}", "timed out after 1s"),
                new Case("build: {command: [sh, -c, 'true'], output: dist}", "does not exist after the build"),
                new Case("build: {command: [sh, -c, 'true'], output: ../outside}", "escapes the workspace"),
                new Case("build: {command: [sh, -c, 'ln -s /etc dist'], output: dist}", "leaves the workspace"),
                new Case("build: {command: [true], output: dist, colour: blue}", "unknown field 'build.colour'"),
                new Case("build: [unclosed", "not valid YAML"),
                new Case("deploy: {}", "'build' section is missing"));
        List<Long> ids = new ArrayList<>();
        for (Case c : cases) {
            ids.add(fx.queue.enqueue(fx.url(), fx.commitSpec(c.spec(), Map.of()), "test").id());
        }
        String good = fx.commitSpec(SampleRepository.SPEC, Map.of());
        long goodId = fx.queue.enqueue(fx.url(), good, "test").id();
        fx.startPool();
        for (int i = 0; i < cases.size(); i++) {
            Job failed = fx.awaitFinal(ids.get(i));
            assertThat(failed.status()).as(cases.get(i).spec()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.error()).as(cases.get(i).spec()).contains(cases.get(i).expectedError());
            assertThat(failed.logKey()).isNotNull();
            assertThat(fx.store.head(failed.logKey())).isPresent();
        }
        assertThat(fx.awaitFinal(goodId).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void missingSpecUnknownShaAndUnreachableRepositoryFailClearly() {
        Job noSpec = fx.queue.enqueue(fx.url(), fx.repo.remove("no spec", ".codedeploy.yml"), "test");
        Job unknownSha = fx.queue.enqueue(fx.url(), "f".repeat(40), "test");
        Job unreachable = fx.queue.enqueue("git://127.0.0.1:1/nothing", "e".repeat(40), "test");
        fx.startPool();
        assertThat(fx.awaitFinal(noSpec.id()).error()).contains(".codedeploy.yml is missing");
        assertThat(fx.awaitFinal(unknownSha.id()).error()).contains("unknown SHA").contains("f".repeat(40));
        assertThat(fx.awaitFinal(unreachable.id()).error()).contains("cannot fetch git://127.0.0.1:1/nothing");
    }

    @Test
    void cancellingARunningBuildKillsItAndMarksItCancelled() {
        String sha = fx.commitSpec("build: {command: [sh, -c, 'sleep 60'], output: dist}", Map.of());
        Job job = fx.queue.enqueue(fx.url(), sha, "test");
        fx.startPool();
        fx.awaitStage(job.id(), BuildStage.BUILDING);
        assertThat(fx.queue.cancel(job.id(), "bob")).isEqualTo(CancelResult.CANCEL_REQUESTED);
        Job done = fx.awaitFinal(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(done.error()).contains("cancelled by bob while running");
        assertThat(done.logKey()).isNotNull();
    }

    @Test
    void aWorkerThatLostItsLeaseStopsAndWritesNothing() throws Exception {
        String sha = fx.commitSpec("build: {command: [sh, -c, 'sleep 60'], output: dist}", Map.of());
        Job job = fx.queue.enqueue(fx.url(), sha, "test");
        fx.startPool();
        Job running = fx.awaitStage(job.id(), BuildStage.BUILDING);
        // another attempt takes the job over, as after a requeue
        try (Connection c = fx.database.connection();
             PreparedStatement s = c.prepareStatement("UPDATE jobs SET attempt = attempt + 1, worker_id = 'other' WHERE id = ?")) {
            s.setLong(1, job.id());
            s.executeUpdate();
            c.commit();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> fx.pool.runningJobs().isEmpty());
        Job after = fx.queue.find(job.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(after.workerId()).isEqualTo("other");
        assertThat(after.attempt()).isEqualTo(running.attempt() + 1);
        assertThat(fx.store.list(BuildKeys.of(sha, job.id(), running.attempt()).prefix())).isEmpty();
    }

    @Test
    void aBlobStoreOutageNeverCompletesAJobAndItIsRetriedWhenTheStoreIsBack() {
        String sha = fx.repo.commit("outage", Map.of("x", "y"));
        String bucket = fx.storeConfig.bucket();
        var brokenConfig = dev.codedeploy.blob.BlobStoreConfig.of(fx.storeConfig.endpoint(), bucket + "-missing",
                fx.storeConfig.accessKey(), fx.storeConfig.secretKey());
        Job job = fx.queue.enqueue(fx.url(), sha, "test");
        try (var broken = new dev.codedeploy.blob.S3BlobStore("master", brokenConfig)) {
            WorkerPool pool = new WorkerPool(fx.queue, broken, brokenConfig, fx.buildConfig);
            pool.start();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    String.valueOf(fx.queue.find(job.id()).orElseThrow().error()).contains("infrastructure failure at UPLOADING"));
            pool.close();
        }
        Job afterOutage = fx.queue.find(job.id()).orElseThrow();
        assertThat(afterOutage.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(afterOutage.artifactKey()).isNull();
        fx.startPool();
        Job done = fx.awaitFinal(job.id());
        assertThat(done.status()).as(done.error()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.attempt()).isGreaterThan(1);
        assertThat(fx.store.head(done.artifactKey())).isPresent();
    }

    @Test
    void foldersOfAttemptsThatNoLongerRunAreSweptAtStartAndThoseOfLiveAttemptsKept() throws Exception {
        Job killed = fx.queue.enqueue(fx.url(), fx.repo.commit("killed", Map.of("a", "1")), "test");
        Job elsewhere = fx.queue.enqueue(fx.url(), fx.repo.commit("elsewhere", Map.of("b", "2")), "test");
        Job killedAttempt = fx.queue.claim("killed-worker").orElseThrow();
        Job liveAttempt = fx.queue.claim("worker-on-another-process").orElseThrow();
        assertThat(List.of(killedAttempt.id(), liveAttempt.id())).containsExactly(killed.id(), elsewhere.id());
        // a SIGKILLed worker: its heartbeat stopped, its folders stayed
        ageHeartbeat(killed.id(), 600);
        List<Path> killedFolders = leaveFolders(killed.id() + "-1");
        List<Path> liveFolders = leaveFolders(elsewhere.id() + "-1");
        List<Path> olderAttempt = leaveFolders(elsewhere.id() + "-0");
        Path notAnAttempt = Files.createDirectories(fx.workDir.resolve("workspaces").resolve("notes"));

        fx.startPool(fx.store, fx.buildConfig.withHeartbeatInterval(Duration.ofSeconds(30)).withWorkers(1));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> killedFolders.stream().noneMatch(Files::exists));
        assertThat(olderAttempt).noneMatch(Files::exists);
        assertThat(liveFolders).allMatch(Files::exists);
        assertThat(notAnAttempt).exists();

        // the live attempt's worker dies too: the next sweep takes its folders
        ageHeartbeat(elsewhere.id(), 600);
        assertThat(fx.pool.sweepFolders()).isEqualTo(3);
        assertThat(liveFolders).noneMatch(Files::exists);
        assertThat(fx.pool.sweepFolders()).isZero();
    }

    /** The workspace, staging and sandbox folders an attempt has while it builds, with a file in each. */
    private List<Path> leaveFolders(String attempt) throws Exception {
        List<Path> folders = new ArrayList<>();
        for (String kind : List.of("workspaces", "staging", "sandboxes")) {
            Path folder = fx.workDir.resolve(kind).resolve(attempt);
            Files.createDirectories(folder.resolve("sub"));
            Files.writeString(folder.resolve("sub").resolve("file"), "left behind");
            folders.add(folder);
        }
        return folders;
    }

    private void ageHeartbeat(long jobId, int seconds) throws Exception {
        try (Connection c = fx.database.connection();
             PreparedStatement s = c.prepareStatement("UPDATE jobs SET last_heartbeat = NOW(6) - INTERVAL ? SECOND WHERE id = ?")) {
            s.setInt(1, seconds);
            s.setLong(2, jobId);
            s.executeUpdate();
            c.commit();
        }
    }

    private static List<String> tarEntries(byte[] tar) throws Exception {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
