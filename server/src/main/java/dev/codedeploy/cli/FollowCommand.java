package dev.codedeploy.cli;

import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.Deploy;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code codedeploy follow ID}: attaches to a deploy from anywhere, shows its history so far, then follows it to its end. */
@Command(name = "follow", mixinStandardHelpOptions = true,
        description = {"Follow a deploy (from its start, or from now with --from-now) until it ends.",
                "Exit codes as deploy: 0 deployed, 1 failed, rolled back or superseded, 2 no such deploy, 3 timed out, 4 cancelled."})
final class FollowCommand implements Callable<Integer> {

    @Mixin
    ClientOption connection;

    @Parameters(index = "0", paramLabel = "ID", description = "The deploy id.")
    long id;

    @Option(names = "--from-now", description = "Skip the history: only what happens from now on.")
    boolean fromNow;

    @Option(names = "--cancel-on-stop", description = "On Ctrl-C, cancel the deploy (by default it goes on).")
    boolean cancelOnStop;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CodeDeployClient client = connection.client();
        Deploy deploy = client.deploy(id);
        out.println("deploy " + deploy.id() + " of " + deploy.sha() + " to " + deploy.environment() + ", requested by "
                + deploy.requestedBy() + " at " + deploy.createdAt() + ": " + deploy.state());
        return Following.follow(client, deploy, fromNow ? deploy.lastEventId() : 0, cancelOnStop, out);
    }
}
