package dev.codedeploy.sandbox.demo;

import dev.codedeploy.CodeDeploy;
import dev.codedeploy.DeployRequest;
import dev.codedeploy.DeployResult;
import dev.codedeploy.DeployStage;
import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.sandbox.cluster.BuildCluster;
import dev.codedeploy.sandbox.cluster.ChildProcess;
import dev.codedeploy.embedded.EmbeddedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The default command: starts the system on embedded servers, builds a sample repository (or yours) through the
 * queue with builder workers in their own processes, and shows the stored artifact.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the demo (the default command).")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--repo", description = "Build this git repository (a path or URL) instead of the sample.")
    String repo;

    @Option(names = "--sha", description = "The commit to build in --repo (full 40-hex SHA).")
    String sha;

    @Option(names = "--keep", description = "Keep the demo's folder afterwards.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("codedeploy-demo-");
        System.out.println("codedeploy sandbox: starting MariaDB, S3Proxy and git daemon under " + dir);
        try (BuildCluster cluster = BuildCluster.start(dir, QueueConfig.DEFAULTS)) {
            String url = repo == null ? cluster.repoUrl() : (repo.contains("://") ? repo : Path.of(repo).toAbsolutePath().toUri().toString());
            String commit = sha;
            if (repo == null) {
                commit = cluster.repo().commit("demo: second version", Map.of("CHANGELOG", "second version\n"));
            } else if (commit == null) {
                System.err.println("--repo needs --sha");
                return 2;
            }
            for (int i = 1; i <= 2; i++) {
                ChildProcess worker = cluster.startWorker("worker-" + i, Duration.ofSeconds(3), 3);
                System.out.println("builder worker " + worker.name() + " running as pid " + worker.pid());
            }
            CodeDeployConfig config = new CodeDeployConfig(cluster.databaseConfig(), cluster.masterConfig(), null, null, null, null, null, null, null);
            try (CodeDeploy codeDeploy = CodeDeploy.open(config)) {
                DeployResult result;
                try (ProgressBar bar = new ProgressBarBuilder().setTaskName("build").setInitialMax(9)
                        .setStyle(ProgressBarStyle.ASCII).build()) {
                    result = codeDeploy.build(DeployRequest.of(commit).withRepoUrl(url).withRequestedBy("sandbox-demo")
                            .withTimeout(Duration.ofMinutes(10)).withListener(e -> {
                                bar.setExtraMessage(e.message().length() > 60 ? e.message().substring(0, 60) : e.message());
                                bar.stepTo(step(e.message(), e.stage()));
                            }));
                    bar.stepTo(9);
                }
                print(codeDeploy, result);
                return result.stage() == DeployStage.SUCCEEDED ? 0 : 1;
            }
        } finally {
            if (!keep) {
                EmbeddedServers.delete(dir);
            }
        }
    }

    private static long step(String message, DeployStage stage) {
        String[] order = {"queued", "claimed", "fetching", "checking out", "building", "packaging", "torrent", "uploading", "verifying"};
        for (int i = order.length - 1; i >= 0; i--) {
            if (message.contains(order[i])) {
                return i;
            }
        }
        return stage.isFinal() ? order.length : 0;
    }

    private static void print(CodeDeploy codeDeploy, DeployResult result) {
        var job = codeDeploy.job(result.jobId()).orElseThrow();
        System.out.println();
        System.out.printf("%-10s %s%n", "job", job.id());
        System.out.printf("%-10s %s%n", "commit", job.sha());
        System.out.printf("%-10s %s%n", "status", job.status() + (job.error() == null ? "" : " (" + job.error() + ")"));
        System.out.printf("%-10s %s%n", "worker", job.workerId() + ", attempt " + job.attempt());
        System.out.printf("%-10s %s%n", "queued", result.timings().getOrDefault(DeployStage.QUEUED, Duration.ZERO).toMillis() + " ms");
        System.out.printf("%-10s %s%n", "built", result.timings().getOrDefault(DeployStage.BUILDING, Duration.ZERO).toMillis() + " ms");
        if (job.artifactKey() != null) {
            System.out.printf("%-10s %s (%d bytes)%n", "artifact", job.artifactKey(), job.artifactSize());
            System.out.printf("%-10s %s%n", "sha256", job.artifactSha256());
            System.out.printf("%-10s %s%n", "torrent", job.torrentKey());
            System.out.printf("%-10s %s%n", "log", job.logKey());
        }
    }
}
