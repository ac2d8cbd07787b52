package dev.codedeploy.cli;

import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.config.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code codedeploy deploy SHA}: asks the server for a deploy and follows it with a progress bar. The deploy runs on
 * the server: stopping this command stops only the following.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Ask the server to build a commit, copy it to every region, publish it and roll it out; follow it.",
                "Exit codes: 0 deployed, 1 failed, rolled back or superseded, 2 bad input, 3 timed out, 4 cancelled or stopped."})
final class DeployCommand implements Callable<Integer> {

    @Mixin
    ClientOption connection;

    @Parameters(index = "0", paramLabel = "SHA", description = "The full 40-hex commit SHA.")
    String sha;

    @Option(names = {"-e", "--environment"}, description = "Environment (default: the server's defaults.environment).")
    String environment;

    @Option(names = "--repo", paramLabel = "URL", description = "Repository (default: the server's defaults.repoUrl).")
    String repo;

    @Option(names = "--reason", description = "Why, for the history.")
    String reason;

    @Option(names = "--no-wait", description = "Print the deploy's id and return; 'codedeploy follow ID' attaches later.")
    boolean noWait;

    @Option(names = "--timeout", description = "The deploy fails when not done after this long (default: the server's deploys.timeout).")
    String timeout;

    @Option(names = "--cancel-on-stop", description = "On Ctrl-C, cancel the deploy (by default it goes on, on the server).")
    boolean cancelOnStop;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CodeDeployClient client = connection.client();
        Long seconds = null;
        if (timeout != null) {
            Duration d = Durations.parse(timeout);
            seconds = Math.max(1, d.toSeconds());
        }
        Deploy deploy = client.createDeploy(new CreateDeploy(sha, environment, repo, reason, seconds));
        if (noWait) {
            out.println(deploy.id());
            out.flush();
            return CodeDeployCli.OK;
        }
        out.println("deploy " + deploy.id() + " of " + deploy.sha() + " to " + deploy.environment() + " requested on " + client.server());
        return Following.follow(client, deploy, 0, cancelOnStop, out);
    }
}
