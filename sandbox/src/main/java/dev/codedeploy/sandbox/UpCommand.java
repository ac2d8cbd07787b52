package dev.codedeploy.sandbox;

import dev.codedeploy.lifecycle.Shutdown;
import dev.codedeploy.sandbox.cluster.SandboxCluster;
import dev.codedeploy.sandbox.cluster.SandboxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code up}: starts the whole system and keeps it running until Ctrl-C, writing the client configuration (the API's
 * URL and a token) that the CLI points at, and the server's configuration that the facade, the Jenkins step and the
 * GitHub Action use until they too go through the API.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Keep a local cluster running (until Ctrl-C) and write its configuration file.")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--config-out", defaultValue = "codedeploy-sandbox.yml", description = "Where to write the configuration (default ${DEFAULT-VALUE}).")
    Path configOut;

    @Option(names = "--client-config-out", defaultValue = "codedeploy-client.yml",
            description = "Where to write the client configuration: the API's URL and a token (default ${DEFAULT-VALUE}).")
    Path clientOut;

    @Option(names = "--dir", description = "Folder for the cluster's data (default: a new temporary folder).")
    Path dir;

    @Option(names = "--regions", defaultValue = "5", description = "Regions (default ${DEFAULT-VALUE}).")
    int regions;

    @Option(names = "--agents", defaultValue = "3", description = "Host agents per region (default ${DEFAULT-VALUE}).")
    int agents;

    @Override
    public Integer call() throws Exception {
        Path data = dir == null ? Files.createTempDirectory("codedeploy-up-") : Files.createDirectories(dir);
        SandboxCluster cluster = SandboxCluster.start(data, SandboxOptions.DEMO.withRegions(regions, agents), System.out);
        Shutdown shutdown = Shutdown.onSignal("sandbox", () -> {
            System.out.println("stopping the sandbox cluster");
            cluster.close();
        });
        Path config = configOut.toAbsolutePath();
        Files.copy(cluster.configFile(), config, StandardCopyOption.REPLACE_EXISTING);
        Path client = clientOut.toAbsolutePath();
        Files.copy(cluster.clientConfigFile(), client, StandardCopyOption.REPLACE_EXISTING);
        String jar = Path.of(UpCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        System.out.printf("""

                codedeploy sandbox is up: %d regions, %d host agents, data under %s
                API:                  %s/api/v1 (see docs/api.md)
                dashboard:            %s/dashboard (log in with the token of the client configuration; docs/dashboard.md)
                client configuration: %s (the URL and a token: all a client needs)
                server configuration: %s

                  deploy the sample's next commit:
                    java -jar %s codedeploy deploy $(git -C %s rev-parse HEAD) -c %s
                  follow a deploy:  java -jar %s codedeploy follow ID -c %s
                  status:           java -jar %s codedeploy status -c %s -e production
                  sample repo:      %s (commit to it, then deploy the new SHA)
                  Jenkins:          set the configuration file path of "codedeploy" in Manage Jenkins to %s
                  Action:           with: {config: %s, adapter-jar: gh-action/target/codedeploy-gh-action.jar}

                Ctrl-C stops everything.
                """, regions, cluster.hostIds().size(), data, cluster.apiUrl(), cluster.apiUrl(), client, config, jar, cluster.repo().dir(), client,
                jar, client, jar, client, cluster.repo().dir(), config, config);
        shutdown.await();
        return 0;
    }
}
