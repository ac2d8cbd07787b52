package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.BuildCluster;
import dev.codedeploy.sandbox.cluster.ChildProcess;
import dev.codedeploy.sandbox.cluster.JobWatch;
import dev.codedeploy.sandbox.cluster.Wait;
import dev.codedeploy.testing.EmbeddedS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code hostile-build}: a builder worker process ({@code codedeploy worker}) whose configuration file (mode 0600)
 * and environment hold secrets, as a careless installation's would (a signing key, ZooKeeper and S3 credentials), and
 * a repository whose build reads every environment variable, every {@code /proc/<pid>/environ} and
 * {@code cmdline} it can, the worker's environment by its pid, the worker's configuration file and work folder, then
 * starts a daemon in a session of its own and floods its log. Nothing it stores (log, artifact, the job's error) may
 * hold a secret; no daemon may be left; the log must stop at {@code build.maxLogMb}; the job must end. Options:
 * {@code logMb} (1), {@code floodMb} (8).
 */
public final class HostileBuildScenario implements Scenario {

    private static final String SCRIPT = """
            mkdir -p out
            echo "== every variable"; env
            echo "== /proc"; ls /proc | grep -cE '^[0-9]+$'
            for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do tr '\\000' ' ' < "$f"; echo; done 2>/dev/null
            echo "== the worker, by its pid"; tr '\\000' ' ' < /proc/$WORKER_PID/environ 2>&1
            echo "== its configuration"; cat "$CONFIG" 2>&1
            echo "== its work folder"; ls -la "$WORK_DIR" "$WORK_DIR/mirrors" 2>&1
            echo "== who"; id
            { env; cat "$CONFIG"; tr '\\000' ' ' < /proc/$WORKER_PID/environ; } > out/loot.txt 2>&1
            setsid sh -c 'exec sleep $MARKER' < /dev/null > /dev/null 2>&1 &
            echo "== flood"; head -c $((FLOOD_MB * 1048576)) /dev/zero | tr '\\000' 'x'
            echo
            """;

    @Override
    public String name() {
        return "hostile-build";
    }

    @Override
    public String description() {
        return "a build that hunts for the worker's secrets, forks a daemon and floods its log: it finds nothing, leaves nothing";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        int logMb = ctx.intOption("logMb", 1);
        int floodMb = ctx.intOption("floodMb", 8);
        String signingKey = ReleaseKeys.encode(ReleaseKeys.generate().getPrivate());
        String zkPassword = "zk-control-" + UUID.randomUUID();
        String envSecret = "env-signing-key-" + UUID.randomUUID();
        List<String> secrets = List.of(signingKey, zkPassword, envSecret, EmbeddedS3.SECRET_KEY);
        String marker = "64" + (System.nanoTime() % 1000) + "." + (System.nanoTime() % 1_000_000);
        try (BuildCluster cluster = BuildCluster.start(ctx.workDir(), QueueConfig.DEFAULTS)) {
            Path workDir = ctx.workDir().resolve("work").resolve("hostile");
            Path config = writeConfig(cluster, ctx.workDir(), workDir, logMb, signingKey, zkPassword);
            ChildProcess worker = ChildProcess.start("hostile-worker", "dev.codedeploy.cli.CodeDeployCli",
                    List.of("worker", "--config", config.toString()), List.of("-Dcodedeploy.log=INFO"),
                    Map.of("CODEDEPLOY_SIGNING_KEY", envSecret, "ZK_CONTROL_PASSWORD", zkPassword),
                    ctx.workDir().resolve("logs").resolve("hostile-worker.log"));
            try {
                if (!worker.awaitLog(java.util.regex.Pattern.compile("worker ready"), Duration.ofSeconds(90))) {
                    throw worker.notStarted("the worker");
                }
                ctx.say("a worker (pid %d) whose configuration (mode 0600) and environment hold a signing key, ZooKeeper and S3 secrets",
                        worker.pid());
                String spec = "build: {command: [sh, build.sh], output: out, timeout: 2m, env: {CONFIG: '" + config + "', WORK_DIR: '"
                        + workDir + "', WORKER_PID: '" + worker.pid() + "', MARKER: '" + marker + "', FLOOD_MB: '" + floodMb + "'}}";
                String sha = cluster.repo().commit("hostile build", Map.of(".codedeploy.yml", spec, "build.sh", SCRIPT));
                Job job = cluster.queue().enqueue(cluster.repoUrl(), sha, "hostile-build");
                Job done = JobWatch.await(cluster.queue(), job.id(), j -> j.status().isFinal(), Duration.ofMinutes(3)).orElse(null);
                boolean released = done != null;
                ctx.say("the job ended: %s", released ? done.status() + (done.error() == null ? "" : " (" + firstLine(done.error()) + ")") : "NO");

                byte[] log = done == null || done.logKey() == null ? new byte[0] : cluster.master().getBytes(done.logKey());
                byte[] artifact = done == null || done.artifactKey() == null ? new byte[0] : cluster.master().getBytes(done.artifactKey());
                String stored = new String(log, StandardCharsets.ISO_8859_1) + new String(artifact, StandardCharsets.ISO_8859_1)
                        + (done == null || done.error() == null ? "" : done.error());
                long seen = secrets.stream().filter(stored::contains).count();
                String text = new String(log, StandardCharsets.UTF_8);
                ctx.say("what the build saw: %s; %s processes in its /proc; its configuration: %s", line(text, "uid="),
                        lineAfter(text, "== /proc"), lineAfter(text, "== its configuration"));
                ctx.say("secrets in its log, artifact or error: %d of %d", seen, secrets.size());

                boolean gone = Wait.until(Duration.ofSeconds(15), () -> processesWith(marker) == 0);
                long daemons = processesWith(marker);
                ctx.say("its daemon (sleep %s) left running: %d%s", marker, daemons, gone ? "" : " after 15 s");

                boolean capped = log.length <= ((long) logMb << 20) + 65536 && text.contains("reached build.maxLogMb");
                ctx.say("its log: %d bytes stored of %d MiB written (cap %d MiB): %s", log.length, floodMb, logMb, capped ? "capped" : "NOT capped");
                return Result.scenario(name()).ok(seen == 0 && daemons == 0 && capped && released && done.status() == JobStatus.COMPLETED)
                        .put("secrets_seen", seen).put("daemons_left", daemons).put("log_capped", capped).put("job_released", released);
            } finally {
                worker.terminate(Duration.ofSeconds(30));
            }
        }
    }

    private static Path writeConfig(BuildCluster cluster, Path dir, Path workDir, int logMb, String signingKey, String zkPassword)
            throws Exception {
        String yaml = String.format("""
                database: {url: "%s", user: root, password: ""}
                blobStore: {endpoint: "%s", bucket: %s, accessKey: %s, secretKey: %s, pathStyle: true}
                build: {workers: 1, workDir: "%s", heartbeatInterval: 1s, pollInterval: 200ms, maxTimeout: 5m, maxLogMb: %d}
                monitor: {enabled: true, checkInterval: 500ms}
                zooKeeper: {connectString: "127.0.0.1:1", user: control, password: "%s"}
                rollout: {signingKey: "%s"}
                """, cluster.databaseConfig().url(), cluster.masterConfig().endpoint(), BuildCluster.MASTER_BUCKET, EmbeddedS3.ACCESS_KEY,
                EmbeddedS3.SECRET_KEY, workDir, logMb, zkPassword, signingKey);
        Path file = dir.resolve("config").resolve("hostile-worker.yml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static long processesWith(String marker) {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).count();
        }
    }

    private static String line(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).findFirst().orElse("(nothing)");
    }

    private static String lineAfter(String text, String heading) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int i = lines.indexOf(heading);
        return i < 0 || i + 1 >= lines.size() ? "(nothing)" : lines.get(i + 1);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
