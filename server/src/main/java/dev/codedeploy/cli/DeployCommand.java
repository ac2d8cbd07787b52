package dev.codedeploy.cli;

import dev.codedeploy.CodeDeploy;
import dev.codedeploy.DeployRequest;
import dev.codedeploy.DeployResult;
import dev.codedeploy.DeployStage;
import dev.codedeploy.DeployTimeoutException;
import dev.codedeploy.config.Durations;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code codedeploy deploy SHA}: build, replicate, publish and follow the rollout, with a progress bar. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Build a commit, copy it to every region, publish it and follow the waves.",
                "Exit codes: 0 deployed, 1 failed or rolled back, 2 bad input, 3 timed out, 4 cancelled."})
final class DeployCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "SHA", description = "The full 40-hex commit SHA.")
    String sha;

    @Option(names = {"-e", "--environment"}, description = "Environment (default: defaults.environment of the configuration).")
    String environment;

    @Option(names = "--repo", paramLabel = "URL", description = "Repository (default: defaults.repoUrl of the configuration).")
    String repo;

    @Option(names = "--no-wait", description = "Return once the release is published, without following the waves.")
    boolean noWait;

    @Option(names = "--build-only", description = "Only build and store the artifact.")
    boolean buildOnly;

    @Option(names = "--timeout", defaultValue = "30m", description = "Give up after this long (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--cancel-on-stop", description = "On Ctrl-C or timeout, also cancel the queued or running build.")
    boolean cancelOnStop;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DeployRequest request = DeployRequest.of(sha).withEnvironment(environment).withRepoUrl(repo)
                .withRequestedBy(config.actor()).withWaitForRollout(!noWait).withTimeout(Durations.parse(timeout))
                .withCancelBuildOnStop(cancelOnStop);
        Thread main = Thread.currentThread();
        Thread onSignal = new Thread(() -> {
            main.interrupt();
            try {
                main.join(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "deploy-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try (CodeDeploy codeDeploy = config.open(); StageBar bar = new StageBar(out)) {
            DeployResult result = buildOnly ? codeDeploy.build(request.withListener(bar)) : codeDeploy.deploy(request.withListener(bar));
            bar.close();
            ResultTable.print(out, result);
            return switch (result.stage()) {
                case SUCCEEDED -> CodeDeployCli.OK;
                case CANCELLED -> CodeDeployCli.CANCELLED;
                default -> CodeDeployCli.FAILED;
            };
        } catch (DeployTimeoutException e) {
            out.println("timed out: " + e.getMessage());
            if (e.lastKnown() != null) {
                ResultTable.print(out, e.lastKnown());
            }
            return CodeDeployCli.TIMED_OUT;
        } catch (InterruptedException e) {
            out.println("stopped" + (cancelOnStop ? "; the build was cancelled" : "; the build goes on (use --cancel-on-stop to cancel it)"));
            return CodeDeployCli.CANCELLED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException exiting) {
                // the JVM is shutting down: the hook is running
            }
        }
    }

    /** Only for tests and help: the stages the bar walks through. */
    static DeployStage[] stages() {
        return new DeployStage[] {DeployStage.QUEUED, DeployStage.BUILDING, DeployStage.REPLICATING, DeployStage.PUBLISHING,
                DeployStage.ROLLING_OUT};
    }
}
