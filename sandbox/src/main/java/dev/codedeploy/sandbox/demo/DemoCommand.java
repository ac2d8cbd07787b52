package dev.codedeploy.sandbox.demo;

import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.cli.ResultTable;
import dev.codedeploy.cli.StageBar;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.GitDaemon;
import dev.codedeploy.queue.CommitSha;
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
 * the sample repository's first commit and then its second through every step, or the user's own repository. Each
 * deploy is requested and followed through the server's HTTP API, as a client holding only a URL and a token does.
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
        if (sha != null && !CommitSha.isValid(sha)) {
            // refused before anything starts: the server would refuse it too, but only after the whole cluster is up
            System.err.println("--sha '" + sha + "' is not a full commit SHA: give all 40 hex digits (git rev-parse "
                    + sha + " prints them); short SHAs and branch names are not accepted");
            return 2;
        }
        try {
            GitDaemon.checkInstalled();
        } catch (IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        PrintWriter out = new PrintWriter(System.out, true);
        Path dir = Files.createTempDirectory("codedeploy-demo-");
        out.println("codedeploy sandbox: the whole system on this machine, under " + dir);
        long started = System.nanoTime();
        try (SandboxCluster cluster = SandboxCluster.start(dir, SandboxOptions.DEMO.withRegions(regions, agents), System.out)) {
            CodeDeployClient client = cluster.client();
            out.printf("clients reach it with only %s and a token (%s)%n", cluster.apiUrl(), cluster.clientConfigFile());
            List<Deploy> results = new ArrayList<>();
            if (repo != null) {
                String url = repo.contains("://") || repo.contains("@") ? repo : Path.of(repo).toAbsolutePath().toUri().toString();
                results.add(deploy(out, client, "your commit " + sha, CreateDeploy.of(sha).withRepository(url)));
            } else {
                results.add(deploy(out, client, "the sample's first commit", CreateDeploy.of(cluster.repo().firstCommit())));
                if (results.get(0).succeeded()) {
                    String second = cluster.repo().commit("second version", Map.of("CHANGELOG", "second version\n"));
                    results.add(deploy(out, client, "the sample's second commit", CreateDeploy.of(second)));
                }
            }
            FleetTable.print(out, client.rollout(SandboxCluster.ENVIRONMENT), results);
            out.printf("%ndemo finished in %.0f s%n", (System.nanoTime() - started) / 1e9);
            return results.stream().allMatch(Deploy::succeeded) ? 0 : 1;
        } finally {
            if (!keep) {
                EmbeddedServers.delete(dir);
            } else {
                out.println("kept " + dir);
            }
        }
    }

    private static Deploy deploy(PrintWriter out, CodeDeployClient client, String what, CreateDeploy request) throws InterruptedException {
        out.println();
        out.println("=== deploying " + what + " (" + request.sha() + ") to " + SandboxCluster.ENVIRONMENT);
        Deploy requested = client.createDeploy(request.withReason("sandbox demo").withTimeoutSeconds(Duration.ofMinutes(15).toSeconds()));
        out.println("deploy " + requested.id() + " requested through the API; following its events");
        Deploy result;
        try (StageBar bar = new StageBar(out)) {
            result = client.follow(requested.id(), 0, bar, Duration.ofMinutes(16));
        }
        ResultTable.print(out, result);
        if (!result.succeeded()) {
            out.println("the deploy did not succeed: " + result.error());
        }
        return result;
    }
}
