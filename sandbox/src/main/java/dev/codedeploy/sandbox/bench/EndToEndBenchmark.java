package dev.codedeploy.sandbox.bench;

import dev.codedeploy.CodeDeploy;
import dev.codedeploy.DeployEvent;
import dev.codedeploy.DeployRequest;
import dev.codedeploy.DeployResult;
import dev.codedeploy.DeployStage;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.testing.SampleRepository;
import dev.codedeploy.queue.Job;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.SandboxCluster;
import dev.codedeploy.sandbox.cluster.SandboxOptions;
import dev.codedeploy.sandbox.scenario.ScenarioContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * From commit to every host healthy, with an artifact of {@code size_mb} random bytes, on the whole sandbox (5
 * regions, 3 host agents each as processes): the time of each stage, and the overhead, which is everything but the
 * build command's own run time. The server's and agents' JVMs run the optimizing compiler, as production's do
 * ({@code --set optimizing_jit=0}: C1 only, as the tests' sandbox runs). Two such deploys run in turn: the first on
 * JVMs that have not compiled the data path yet ({@code cold_*} in the RESULT), the second on warm ones, as a fleet
 * of long-running agents is (the RESULT's stage figures), once the JVMs' compilers have drained their queues;
 * {@code jit_cpu_s} is what they still used during the second deploy.
 */
public final class EndToEndBenchmark implements Benchmark {

    private static final Pattern HOLD = Pattern.compile("(\\d+)/(\\d+) hosts hold build");
    private static final Pattern BUILD_TIME = Pattern.compile("build succeeded in (\\d+) ms");

    @Override
    public String name() {
        return "e2e";
    }

    @Override
    public String description() {
        return "commit to all hosts healthy with a 64 MB artifact, per stage, less the build command (--set size_mb=64 regions=5 agents=3)";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        int sizeMb = ctx.intOption("size_mb", 64);
        SandboxOptions options = SandboxOptions.DEMO.withRegions(ctx.intOption("regions", 5), ctx.intOption("agents", 3));
        if (ctx.intOption("optimizing_jit", 1) == 1) {
            options = options.withOptimizingJit();
        }
        try (SandboxCluster cluster = SandboxCluster.start(ctx.workDir(), options, ctx.out());
             CodeDeploy codeDeploy = cluster.codeDeploy();
             S3BlobStore master = cluster.masterStore()) {
            ctx.say("warm-up: deploying the sample's first commit");
            DeployResult first = codeDeploy.deploy(DeployRequest.of(cluster.repo().firstCommit()).withTimeout(Duration.ofMinutes(15)));
            if (!first.succeeded()) {
                throw new IllegalStateException("the warm-up deploy failed: " + first.error());
            }
            // agents are long-lived daemons: the first large deploy also pays their JVMs' compilation of the data path
            // (C2 at about 4 s of CPU per JVM, 20 JVMs on 2 cores); the second is what a warm fleet sees
            Stages cold = deploy(ctx, cluster, codeDeploy, master, sizeMb, "cold JVMs");
            // on 2 cores the compilers fall behind during a deploy; a fleet's agents drain their queues between deploys
            List<Long> pids = jvms(cluster);
            double waited = CompilerCpu.awaitQuiet(pids, 0.1, Duration.ofSeconds(120));
            ctx.say("the JIT compilers of the server and agents drained their queues in %.0f s", waited);
            double compilerBefore = CompilerCpu.seconds(pids);
            Stages warm = deploy(ctx, cluster, codeDeploy, master, sizeMb, "warm JVMs");
            double compiler = CompilerCpu.seconds(pids) - compilerBefore;
            return Result.bench(name())
                    .put("hosts", cluster.hostIds().size())
                    .put("size_mb", sizeMb)
                    .put("overhead_s", warm.total() - warm.command())
                    .put("build_s", warm.build())
                    .put("build_command_s", warm.command())
                    .put("replicate_s", warm.replicate())
                    .put("publish_s", warm.publish())
                    .put("distribute_s", warm.distribute())
                    .put("switch_s", warm.switchOver())
                    .put("total_s", warm.total())
                    .put("cold_overhead_s", cold.total() - cold.command())
                    .put("cold_distribute_s", cold.distribute())
                    .put("jit_cpu_s", compiler);
        }
    }

    /** The server's JVM with its children (the builder workers) and every agent's. */
    private static List<Long> jvms(SandboxCluster cluster) {
        List<Long> pids = new java.util.ArrayList<>();
        pids.add(cluster.server().pid());
        ProcessHandle.of(cluster.server().pid()).ifPresent(server -> server.descendants().forEach(child -> pids.add(child.pid())));
        cluster.agents().forEach(agent -> pids.add(agent.pid()));
        return pids;
    }

    /** The seconds of one deploy's stages. */
    private record Stages(double total, double command, double build, double replicate, double publish, double distribute,
                          double switchOver) {
    }

    private static Stages deploy(ScenarioContext ctx, SandboxCluster cluster, CodeDeploy codeDeploy, S3BlobStore master, int sizeMb,
                                 String label) throws Exception {
        String sha = cluster.repo().commit(sizeMb + " MB release (" + label + ")", Map.of(
                "build.sh", "#!/bin/sh\nset -eu\nrm -rf dist && mkdir -p dist/bin\ncp app.sh dist/bin/app && chmod +x dist/bin/app\n"
                        + "echo \"$CODEDEPLOY_SHA\" > dist/VERSION\nhead -c " + ((long) sizeMb << 20) + " /dev/urandom > dist/payload.bin\n",
                ".codedeploy.yml", SampleRepository.SPEC));
        ctx.say("deploying commit %s with a %d MB artifact to %d hosts (%s)", sha, sizeMb, cluster.hostIds().size(), label);
        Instant[] allHold = new Instant[1];
        Instant[] rolloutStart = new Instant[1];
        Instant started = Instant.now();
        DeployResult result = codeDeploy.deploy(DeployRequest.of(sha).withTimeout(Duration.ofMinutes(20)).withListener(e -> {
            track(e, rolloutStart, allHold);
            if (!e.message().equals("")) {
                ctx.say("  %-11s %s", e.stage(), e.message());
            }
        }));
        Instant ended = Instant.now();
        if (!result.succeeded()) {
            throw new IllegalStateException("the deploy (" + label + ") failed: " + result.error());
        }
        Job job = codeDeploy.job(result.jobId()).orElseThrow();
        String log = new String(master.getBytes(job.logKey()), StandardCharsets.UTF_8);
        Matcher m = BUILD_TIME.matcher(log);
        double command = m.find() ? Long.parseLong(m.group(1)) / 1000.0 : 0;
        double total = Duration.between(started, ended).toMillis() / 1000.0;
        double rollout = seconds(result, DeployStage.ROLLING_OUT);
        double distribute = allHold[0] == null ? rollout : Duration.between(rolloutStart[0], allHold[0]).toMillis() / 1000.0;
        ctx.say("%s: total %.1f s, of which the build command ran %.1f s; distribute %.1f s", label, total, command, distribute);
        return new Stages(total, command, seconds(result, DeployStage.QUEUED) + seconds(result, DeployStage.BUILDING), seconds(result,
                DeployStage.REPLICATING), seconds(result, DeployStage.PUBLISHING), distribute, Math.max(0, rollout - distribute));
    }

    private static void track(DeployEvent e, Instant[] rolloutStart, Instant[] allHold) {
        if (e.stage() == DeployStage.ROLLING_OUT && rolloutStart[0] == null) {
            rolloutStart[0] = e.at();
        }
        Matcher m = HOLD.matcher(e.message());
        if (allHold[0] == null && m.find() && m.group(1).equals(m.group(2)) && !m.group(1).equals("0")) {
            allHold[0] = e.at();
        }
    }

    private static double seconds(DeployResult result, DeployStage stage) {
        return result.timings().getOrDefault(stage, Duration.ZERO).toMillis() / 1000.0;
    }
}
