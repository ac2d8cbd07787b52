package dev.codedeploy.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A build sees only its checkout, its declared environment and its output folder, runs as the configured user, and
 * leaves nothing behind. Runs as root, as a production worker does (the test creates the build user when missing);
 * where the tests do not run as root it is skipped, since the other user and the namespaces need root.
 */
class BuildIsolationTest {

    private static final String BUILD_USER = "codedeploy-build";

    private BuildFixture fx;

    @BeforeAll
    static void buildUser() throws Exception {
        assumeTrue(BuildSandbox.isRoot(), "build isolation with another user needs a root worker; these tests run as root only");
        if (run("id", "-u", BUILD_USER) != 0) {
            assertThat(run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", BUILD_USER)).isZero();
        }
    }

    @BeforeEach
    void setUp() {
        fx = new BuildFixture(1, Duration.ofMillis(500));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private BuildConfig config(int maxLogMb, Duration maxTimeout) {
        BuildConfig base = fx.buildConfig;
        return new BuildConfig(1, base.workDir(), base.heartbeatInterval(), base.pollInterval(), maxTimeout, maxTimeout, false,
                BUILD_USER, maxLogMb);
    }

    @Test
    void aBuildSeesNoSecretOfTheWorkerNoOtherProcessAndNoOtherFolder() throws Exception {
        // the worker's configuration, outside /tmp (which the build does not see at all): there only its mode protects it
        Path secrets = Files.createTempDirectory(Path.of("/var/tmp"), "codedeploy-etc");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path configFile = secrets.resolve("worker.yml");
        Files.writeString(configFile, "database: {password: config-file-secret}\n");
        Files.setPosixFilePermissions(configFile, PosixFilePermissions.fromString("rw-------"));
        String script = """
                mkdir -p out
                env > out/env.txt
                id -u > out/uid.txt
                pwd > out/pwd.txt
                ls /proc | grep -cE '^[0-9]+$' > out/procs.txt
                cat /proc/[0-9]*/environ > out/environs.txt 2>/dev/null || true
                cat "$SECRET_FILE" > out/config.txt 2>&1 || true
                ls -a "$WORK_DIR" > out/workdir.txt 2>&1 || true
                touch "$WORK_DIR/mirrors/planted" 2> out/plant.txt || true
                """;
        String spec = "build: {command: [sh, build.sh], output: out, env: {SECRET_FILE: '" + configFile + "', WORK_DIR: '" + fx.workDir + "'}}";
        Job job = fx.queue.enqueue(fx.url(), fx.commitSpec(spec, Map.of("build.sh", script)), "test");
        fx.startPool(fx.store, config(64, Duration.ofMinutes(2)));
        Job done = fx.awaitFinal(job.id());
        assertThat(done.status()).as(done.error()).isEqualTo(JobStatus.COMPLETED);
        Map<String, String> out = files(fx.store.getBytes(done.artifactKey()));

        String uid = output("id", "-u", BUILD_USER);
        assertThat(out.get("uid.txt").trim()).isEqualTo(uid);
        assertThat(out.get("pwd.txt").trim()).isEqualTo(BuildSandbox.INSIDE + "/workspace");
        for (String file : List.of("env.txt", "environs.txt", "config.txt")) {
            assertThat(out.get(file)).as(file).doesNotContain("signing-key-of-the-worker-process")
                    .doesNotContain("database-password-of-the-worker").doesNotContain("config-file-secret");
        }
        assertThat(out.get("env.txt")).contains("CODEDEPLOY_SHA=").contains("HOME=" + BuildSandbox.INSIDE + "/home").contains("TMPDIR=/tmp")
                .contains("USER=" + BUILD_USER);
        assertThat(out.get("config.txt")).contains("Permission denied");
        // its own PID namespace: the shell, ls, grep and what it started, never the worker
        assertThat(Integer.parseInt(out.get("procs.txt").trim())).isLessThan(10);
        // workDir is empty or absent to the build: no mirrors, no staging, no other builds
        assertThat(out.get("workdir.txt")).doesNotContain("mirrors").doesNotContain("staging").doesNotContain("workspaces");
        assertThat(fx.workDir.resolve("mirrors").resolve("planted")).doesNotExist();
        Files.delete(configFile);
        Files.delete(secrets);
    }

    @Test
    void aDaemonDoesNotOutliveItsBuildWhetherItEndsOrTimesOut() throws Exception {
        String marker = "61" + (System.nanoTime() % 1000) + "." + (System.nanoTime() % 1_000_000);
        String ends = "setsid sh -c 'exec sleep " + marker + "1' > /dev/null 2>&1 < /dev/null &\nmkdir -p out && echo ok > out/x\n";
        String hangs = "setsid sh -c 'exec sleep " + marker + "2' > /dev/null 2>&1 < /dev/null &\nsleep 120\n";
        Job ended = fx.queue.enqueue(fx.url(), fx.commitSpec("build: {command: [sh, build.sh], output: out}", Map.of("build.sh", ends)), "t");
        Job timedOut = fx.queue.enqueue(fx.url(), fx.commitSpec("build: {command: [sh, build.sh], output: out, timeout: 3s}",
                Map.of("build.sh", hangs)), "t");
        fx.startPool(fx.store, config(64, Duration.ofMinutes(2)));

        assertThat(fx.awaitFinal(ended.id()).status()).isEqualTo(JobStatus.COMPLETED);
        Job killed = fx.awaitFinal(timedOut.id());
        assertThat(killed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(killed.error()).contains("timed out");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> processesWith(marker).isEmpty());
    }

    @Test
    void aFloodedLogIsCappedAndReadBackBounded() throws Exception {
        String flood = "head -c 5000000 /dev/zero | tr '\\000' 'y'\nmkdir -p out && echo ok > out/x\n";
        Job job = fx.queue.enqueue(fx.url(), fx.commitSpec("build: {command: [sh, build.sh], output: out}", Map.of("build.sh", flood)), "t");
        fx.startPool(fx.store, config(1, Duration.ofMinutes(2)));
        Job done = fx.awaitFinal(job.id());
        assertThat(done.status()).as(done.error()).isEqualTo(JobStatus.COMPLETED);
        byte[] log = fx.store.getBytes(done.logKey());
        assertThat(log.length).isBetween(1 << 20, (1 << 20) + 8192);
        assertThat(new String(log, StandardCharsets.UTF_8)).contains("reached build.maxLogMb").contains("dropped: " + (5_000_000 - (1 << 20)) + " bytes");
    }

    @Test
    void anErrorInTheWorkerReleasesTheJobAndTheWorkerBuildsOn() {
        Job job = fx.queue.enqueue(fx.url(), fx.commitSpec("build: {command: [sh, -c, 'mkdir -p out && echo ok > out/x'], output: out}",
                Map.of()), "t");
        // the first upload exhausts the worker's memory, as a build's output can
        fx.startPool(new ErrorOnFirstPut(fx.store), config(64, Duration.ofMinutes(2)));
        Job done = fx.awaitFinal(job.id());
        assertThat(done.status()).as(done.error()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.attempt()).isEqualTo(2);
    }

    private static Map<String, String> files(byte[] tar) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (entry.isFile()) {
                    files.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    /** Processes of this machine whose command line holds {@code marker}. */
    static List<Long> processesWith(String marker) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).map(ProcessHandle::pid).toList();
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static String output(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** The master store, except that its first upload throws an {@link OutOfMemoryError}. */
    private static final class ErrorOnFirstPut implements BlobStore {
        private final BlobStore store;
        private final AtomicBoolean thrown = new AtomicBoolean();

        ErrorOnFirstPut(BlobStore store) {
            this.store = store;
        }

        @Override
        public String name() {
            return store.name();
        }

        @Override
        public BlobInfo put(String key, Path file, Map<String, String> metadata) {
            if (thrown.compareAndSet(false, true)) {
                throw new OutOfMemoryError("Java heap space (injected)");
            }
            return store.put(key, file, metadata);
        }

        @Override
        public BlobInfo putBytes(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
            return store.putBytes(key, bytes, contentType, metadata);
        }

        @Override
        public Optional<BlobInfo> head(String key) {
            return store.head(key);
        }

        @Override
        public InputStream open(String key) {
            return store.open(key);
        }

        @Override
        public byte[] getBytes(String key) {
            return store.getBytes(key);
        }

        @Override
        public void download(String key, Path target) {
            store.download(key, target);
        }

        @Override
        public void delete(String key) {
            store.delete(key);
        }

        @Override
        public List<BlobInfo> list(String prefix) {
            return store.list(prefix);
        }

        @Override
        public String putStream(String key, long size, java.util.function.Supplier<InputStream> source, Map<String, String> metadata) {
            return store.putStream(key, size, source, metadata);
        }

        @Override
        public boolean copiesServerSideFrom(BlobStore source) {
            return store.copiesServerSideFrom(source);
        }

        @Override
        public void copyFrom(BlobStore source, String key, Map<String, String> metadata) {
            store.copyFrom(source, key, metadata);
        }

        @Override
        public String startMultipart(String key, Map<String, String> metadata) {
            return store.startMultipart(key, metadata);
        }

        @Override
        public Optional<Map<Integer, dev.codedeploy.blob.UploadedPart>> uploadedParts(String key, String uploadId) {
            return store.uploadedParts(key, uploadId);
        }

        @Override
        public String putPart(String key, String uploadId, int partNumber, byte[] bytes, int length) {
            return store.putPart(key, uploadId, partNumber, bytes, length);
        }

        @Override
        public String copyPart(BlobStore source, String key, String uploadId, int partNumber, long offset, long length) {
            return store.copyPart(source, key, uploadId, partNumber, offset, length);
        }

        @Override
        public void completeMultipart(String key, String uploadId, List<dev.codedeploy.blob.UploadedPart> parts) {
            store.completeMultipart(key, uploadId, parts);
        }

        @Override
        public void abortMultipart(String key, String uploadId) {
            store.abortMultipart(key, uploadId);
        }

        @Override
        public List<String> multipartUploads(String key) {
            return store.multipartUploads(key);
        }

        @Override
        public void checkReachable() {
            store.checkReachable();
        }

        @Override
        public void close() {
            // the fixture closes the store
        }
    }
}
