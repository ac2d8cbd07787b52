package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.cli.CodeDeployCli;
import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.ChildProcess;
import dev.codedeploy.sandbox.cluster.SandboxCluster;
import dev.codedeploy.sandbox.cluster.SandboxOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code client-killed-mid-deploy}: {@code codedeploy deploy} runs as a process of its own and is SIGKILLed while its
 * deploy builds, and another while its deploy replicates: the server carries both deploys on to SUCCEEDED, and
 * {@code codedeploy follow ID} (from another process, holding only the client configuration) shows each to its end.
 * Options: {@code agents} (hosts, 1).
 */
public final class ClientKilledMidDeployScenario implements Scenario {

    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @Override
    public String name() {
        return "client-killed-mid-deploy";
    }

    @Override
    public String description() {
        return "the CLI that requested a deploy is SIGKILLed while it builds, another while it replicates: both still succeed";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        SandboxOptions shape = SandboxOptions.DEMO.withRegions(1, ctx.intOption("agents", 1));
        try (SandboxCluster cluster = SandboxCluster.start(ctx.workDir(), shape, ctx.out())) {
            CodeDeployClient client = cluster.client();
            int completed = 0;
            for (DeployState killIn : List.of(DeployState.BUILDING, DeployState.REPLICATING)) {
                String sha = DeployScenarios.slowCommit(cluster, "killed in " + killIn, killIn == DeployState.BUILDING ? 4 : 1, 48 * 1024);
                ChildProcess cli = ChildProcess.start("cli-" + killIn.name().toLowerCase(), "dev.codedeploy.cli.CodeDeployCli",
                        List.of("deploy", sha, "-c", cluster.clientConfigFile().toString()), List.of(),
                        ctx.workDir().resolve("logs").resolve("cli-" + killIn.name().toLowerCase() + ".log"));
                Deploy deploy = DeployScenarios.deployOf(client, sha, PATIENCE);
                Deploy seen = DeployScenarios.reached(client, deploy.id(), killIn, PATIENCE);
                cli.kill();
                ctx.say("deploy %d: SIGKILLed its CLI (pid %d) while the deploy was %s: %s", deploy.id(), cli.pid(), seen.state(), seen.message());
                StringWriter out = new StringWriter();
                CommandLine follow = CodeDeployCli.commandLine();
                follow.setOut(new PrintWriter(out, true));
                int exit = follow.execute("follow", Long.toString(deploy.id()), "-c", cluster.clientConfigFile().toString());
                Deploy end = client.deploy(deploy.id());
                boolean shown = exit == CodeDeployCli.OK && out.toString().contains("== SUCCEEDED") && out.toString().contains("result       SUCCEEDED");
                ctx.say("deploy %d: %s; codedeploy follow exited %d%s", deploy.id(), end.state(), exit, shown ? " showing it to its end" : "");
                if (end.succeeded() && shown) {
                    completed++;
                } else {
                    ctx.say("follow printed:%n%s", out);
                }
            }
            return Result.scenario(name()).ok(completed == 2).put("completed", completed + "/2");
        }
    }
}
