package dev.codedeploy.sandbox.demo;

import dev.codedeploy.CodeDeploy;
import dev.codedeploy.DeployRequest;
import dev.codedeploy.DeployResult;
import dev.codedeploy.DeployStage;
import dev.codedeploy.cli.ResultTable;
import dev.codedeploy.cli.StageBar;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.sandbox.cluster.SandboxCluster;
import dev.codedeploy.sandbox.cluster.SandboxOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The default command: the whole system on embedded servers (5 regions, 3 host agents each as processes), deploying
 * the sample repository's first commit and then its second through every step, or the user's own repository.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the demo (the default command).")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--repo", description = "Deploy this git repository (a path or URL, with a .codedeploy.yml) instead of the sample.")
    String repo;

    @Option(names = "--sha", description = "The commit of --repo to deploy (full 40-hex SHA).")
    String sha;

    @Option(names = "--regions", defaultValue = "5", description = "Regions (default ${DEFAULT-VALUE}).")
    int regions;

    @Option(names = "--agents", defaultValue = "3", description = "Host agents per region (default ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--keep", description = "Keep the demo's folder afterwards.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        if ((repo == null) != (sha == null)) {
            System.err.println("--repo and --sha go together");
            return 2;
        }
        PrintWriter out = new PrintWriter(System.out, true);
        Path dir = Files.createTempDirectory("codedeploy-demo-");
        out.println("codedeploy sandbox: the whole system on this machine, under " + dir);
        long started = System.nanoTime();
        try (SandboxCluster cluster = SandboxCluster.start(dir, SandboxOptions.DEMO.withRegions(regions, agents), System.out);
             CodeDeploy codeDeploy = cluster.codeDeploy()) {
            List<DeployResult> results = new ArrayList<>();
            if (repo != null) {
                String url = repo.contains("://") || repo.contains("@") ? repo : Path.of(repo).toAbsolutePath().toUri().toString();
                results.add(deploy(out, codeDeploy, "your commit " + sha, DeployRequest.of(sha).withRepoUrl(url)));
            } else {
                results.add(deploy(out, codeDeploy, "the sample's first commit", DeployRequest.of(cluster.repo().firstCommit())));
                if (results.get(0).succeeded()) {
                    String second = cluster.repo().commit("second version", Map.of("CHANGELOG", "second version\n"));
                    results.add(deploy(out, codeDeploy, "the sample's second commit", DeployRequest.of(second)));
                }
            }
            FleetTable.print(out, codeDeploy.status(SandboxCluster.ENVIRONMENT), results);
            out.printf("%ndemo finished in %.0f s%n", (System.nanoTime() - started) / 1e9);
            return results.stream().allMatch(DeployResult::succeeded) ? 0 : 1;
        } finally {
            if (!keep) {
                EmbeddedServers.delete(dir);
            } else {
                out.println("kept " + dir);
            }
        }
    }

    private static DeployResult deploy(PrintWriter out, CodeDeploy codeDeploy, String what, DeployRequest request) throws InterruptedException {
        out.println();
        out.println("=== deploying " + what + " (" + request.sha() + ") to " + SandboxCluster.ENVIRONMENT);
        DeployResult result;
        try (StageBar bar = new StageBar(out)) {
            result = codeDeploy.deploy(request.withRequestedBy("sandbox-demo").withTimeout(Duration.ofMinutes(15)).withListener(bar));
        }
        ResultTable.print(out, result);
        if (result.stage() != DeployStage.SUCCEEDED) {
            out.println("the deploy did not succeed: " + result.error());
        }
        return result;
    }
}
