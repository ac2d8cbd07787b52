package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.build.BuildConfig;
import dev.codedeploy.build.WorkerPool;
import dev.codedeploy.testing.SampleRepository;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.BuildCluster;
import dev.codedeploy.sandbox.cluster.JobWatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every kind of bad input of the build pipeline, each of which must end in an error that names the problem (an
 * exception at enqueue, or FAILED with the reason and the log kept), while a good job queued among them completes.
 */
public final class BadInputScenario implements Scenario {

    private record Case(String name, String expected, long jobId, String enqueueError) {
    }

    @Override
    public String name() {
        return "bad-input";
    }

    @Override
    public String description() {
        return "bad SHAs, URLs, specs, builds, timeouts and outputs: each a clear error, nothing else disturbed";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        try (BuildCluster cluster = BuildCluster.start(ctx.workDir(), QueueConfig.DEFAULTS)) {
            List<Case> cases = new ArrayList<>();
            cases.add(atEnqueue(cluster, "invalid SHA", cluster.repoUrl(), "abc123", "40 hex digits"));
            cases.add(atEnqueue(cluster, "malformed repository URL", "ftp:/nowhere", "a".repeat(40), "repository URL"));
            cases.add(atBuild(cluster, "unknown SHA", cluster.repoUrl(), "0".repeat(40), "unknown SHA"));
            cases.add(atBuild(cluster, "unreachable repository", "git://127.0.0.1:1/nothing", "0".repeat(40), "cannot fetch"));
            cases.add(atBuild(cluster, "missing .codedeploy.yml", cluster.repoUrl(),
                    cluster.repo().remove("no spec", ".codedeploy.yml"), ".codedeploy.yml is missing"));
            cases.add(spec(cluster, "malformed .codedeploy.yml", "build: [unclosed", "not valid YAML"));
            cases.add(spec(cluster, "failing build", "build: {command: [sh, -c, 'echo compile error >&2; exit 2'], output: dist}",
                    "exited with code 2"));
            cases.add(spec(cluster, "build past its timeout", "build: {command: [sleep, '60'], output: dist, timeout: 2s}", "timed out after 2s"));
            cases.add(spec(cluster, "missing output", "build: {command: ['true'], output: dist}", "does not exist after the build"));
            cases.add(spec(cluster, "output escaping the workspace", "build: {command: ['true'], output: ../../etc}", "escapes the workspace"));
            cases.add(spec(cluster, "output linking out of the workspace", "build: {command: [ln, -s, /etc, dist], output: dist}",
                    "leaves the workspace"));
            long good = cluster.queue().enqueue(cluster.repoUrl(),
                    cluster.repo().commit("good", Map.of(".codedeploy.yml", SampleRepository.SPEC)), "bad-input").id();

            BuildConfig build = new BuildConfig(2, ctx.workDir().resolve("work"), Duration.ofSeconds(1), Duration.ofMillis(100),
                    Duration.ofMinutes(1), Duration.ofMinutes(5), false);
            int clear = 0;
            boolean goodCompleted;
            try (WorkerPool pool = new WorkerPool(cluster.queue(), cluster.master(), cluster.masterConfig(), build)) {
                pool.start();
                for (Case c : cases) {
                    String error = c.enqueueError();
                    boolean logKept = true;
                    if (error == null) {
                        Job done = JobWatch.await(cluster.queue(), c.jobId(), j -> j.status().isFinal(), Duration.ofSeconds(90))
                                .orElseThrow(() -> new IllegalStateException("job for '" + c.name() + "' never finished"));
                        error = done.status() == JobStatus.FAILED ? done.error() : "ended " + done.status();
                        logKept = done.logKey() != null && cluster.master().head(done.logKey()).isPresent();
                    }
                    boolean ok = error.contains(c.expected()) && logKept;
                    clear += ok ? 1 : 0;
                    ctx.say("%-38s %s %s", c.name(), ok ? "clear:" : "UNCLEAR:", firstLine(error));
                }
                goodCompleted = JobWatch.await(cluster.queue(), good, j -> j.status().isFinal(), Duration.ofSeconds(90))
                        .map(j -> j.status() == JobStatus.COMPLETED).orElse(false);
            }
            ctx.say("the good job queued among them: %s", goodCompleted ? "COMPLETED" : "NOT completed");
            return Result.scenario(name()).put("cases", cases.size()).put("clear_errors", clear)
                    .ok(clear == cases.size() && goodCompleted);
        }
    }

    private static Case atEnqueue(BuildCluster cluster, String name, String url, String sha, String expected) {
        try {
            Job job = cluster.queue().enqueue(url, sha, "bad-input");
            return new Case(name, expected, job.id(), null);
        } catch (InvalidInputException e) {
            return new Case(name, expected, 0, e.getMessage());
        }
    }

    private static Case atBuild(BuildCluster cluster, String name, String url, String sha, String expected) {
        return new Case(name, expected, cluster.queue().enqueue(url, sha, "bad-input").id(), null);
    }

    private static Case spec(BuildCluster cluster, String name, String spec, String expected) {
        String sha = cluster.repo().commit(name, Map.of(".codedeploy.yml", spec));
        return atBuild(cluster, name, cluster.repoUrl(), sha, expected);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
