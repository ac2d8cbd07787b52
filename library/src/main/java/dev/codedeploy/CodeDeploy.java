package dev.codedeploy;

import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.database.Database;
import dev.codedeploy.queue.CancelResult;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.queue.PageRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The entry point of codedeploy as a library: {@code codeDeploy(sha)} from Java. It queues the build, waits for it,
 * waits for every region to hold the binary, publishes the release and follows the waves, reporting progress to the
 * request's listener. The workers, replicators and rollout driver run in {@code codedeploy server} processes; this
 * class only talks to the database and ZooKeeper.
 *
 * <pre>{@code
 * try (CodeDeploy cd = CodeDeploy.open(Path.of("codedeploy.yml"))) {
 *     DeployResult r = cd.deploy(DeployRequest.of(sha).withEnvironment("production")
 *             .withListener(e -> System.out.println(e.stage() + " " + e.message())));
 * }
 * }</pre>
 *
 * <p>Every wait is interruptible (the call then throws {@link InterruptedException}, after cancelling the build when
 * the request asks for it) and bounded by the request's timeout ({@link DeployTimeoutException}).
 */
public final class CodeDeploy implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final CodeDeployConfig config;
    private final Database database;
    private final JobQueue queue;

    private CodeDeploy(CodeDeployConfig config) {
        this.config = config;
        this.database = Database.open(config.database());
        this.queue = new JobQueue(database, config.queue());
    }

    /** Connects with {@code config}. */
    public static CodeDeploy open(CodeDeployConfig config) {
        return new CodeDeploy(config);
    }

    /** Connects with the configuration file {@code file} (YAML, {@code ${ENV}} substituted). */
    public static CodeDeploy open(Path file) {
        return new CodeDeploy(ConfigLoader.load(file));
    }

    /**
     * Builds {@code request.sha()} and waits until the artifact is stored (or the build failed).
     *
     * @return SUCCEEDED with the artifact's checksum, or FAILED/CANCELLED with the reason
     * @throws InvalidInputException   for a malformed SHA or repository URL (nothing is queued)
     * @throws DeployTimeoutException  when the request's timeout passes first
     * @throws InterruptedException    when the calling thread is interrupted
     */
    public DeployResult build(DeployRequest request) throws InterruptedException {
        Instant deadline = Instant.now().plus(request.timeout());
        Job job = queue.enqueue(repoUrl(request), request.sha(), request.requestedBy());
        Map<DeployStage, Duration> timings = new EnumMap<>(DeployStage.class);
        request.listener().onEvent(event(DeployStage.QUEUED, "queued build job " + job.id() + " for " + job.sha(), null));
        Job done = awaitBuild(job, request, deadline, timings);
        return buildResult(done, request, timings);
    }

    private Job awaitBuild(Job queued, DeployRequest request, Instant deadline, Map<DeployStage, Duration> timings)
            throws InterruptedException {
        Instant stageStart = Instant.now();
        DeployStage stage = DeployStage.QUEUED;
        String lastStage = null;
        Job job = queued;
        try {
            while (!job.status().isFinal()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new DeployTimeoutException("build job " + job.id() + " did not finish within " + request.timeout()
                            + " (it is " + job.status() + ")", buildResult(job, request, timings));
                }
                Thread.sleep(POLL.toMillis());
                job = queue.find(job.id()).orElseThrow();
                if (job.status() == JobStatus.RUNNING && stage == DeployStage.QUEUED) {
                    timings.put(DeployStage.QUEUED, Duration.between(stageStart, Instant.now()));
                    stageStart = Instant.now();
                    stage = DeployStage.BUILDING;
                }
                if (job.status() == JobStatus.RUNNING && job.stage() != null && !job.stage().equals(lastStage)) {
                    lastStage = job.stage();
                    request.listener().onEvent(event(DeployStage.BUILDING, "job " + job.id() + " attempt " + job.attempt()
                            + " on " + job.workerId() + ": " + job.stage().toLowerCase().replace('_', ' '), null));
                }
            }
            timings.put(stage, Duration.between(stageStart, Instant.now()));
            return job;
        } catch (InterruptedException | DeployTimeoutException e) {
            if (request.cancelBuildOnStop()) {
                queue.cancel(job.id(), request.requestedBy() + " (stopped waiting)");
            }
            throw e;
        }
    }

    private DeployResult buildResult(Job job, DeployRequest request, Map<DeployStage, Duration> timings) {
        DeployStage stage = switch (job.status()) {
            case COMPLETED -> DeployStage.SUCCEEDED;
            case FAILED -> DeployStage.FAILED;
            case CANCELLED -> DeployStage.CANCELLED;
            case QUEUED -> DeployStage.QUEUED;
            case RUNNING -> DeployStage.BUILDING;
        };
        if (stage.isFinal()) {
            request.listener().onEvent(event(stage, "build job " + job.id() + " " + job.status()
                    + (job.error() == null ? "" : ": " + firstLine(job.error())), 1.0));
        }
        return new DeployResult(job.id(), job.sha(), environment(request), stage, job.artifactSha256(), job.artifactSize(),
                List.of(), Map.copyOf(timings), stage == DeployStage.SUCCEEDED ? null : job.error());
    }

    /** The job with this id. */
    public Optional<Job> job(long jobId) {
        return queue.find(jobId);
    }

    /** The newest jobs of a commit. */
    public List<Job> history(String sha, int limit) {
        return queue.findBySha(sha, PageRequest.first(limit));
    }

    /** Cancels a job: at once when QUEUED, at its worker's next heartbeat when RUNNING. */
    public CancelResult cancel(long jobId, String by) {
        return queue.cancel(jobId, by);
    }

    /** The configuration this instance runs with. */
    public CodeDeployConfig config() {
        return config;
    }

    private String repoUrl(DeployRequest request) {
        if (request.repoUrl() != null) {
            return request.repoUrl();
        }
        throw new InvalidInputException("no repository URL: give one with the request (repoUrl)");
    }

    private String environment(DeployRequest request) {
        return request.environment() == null ? "production" : request.environment();
    }

    private static DeployEvent event(DeployStage stage, String message, Double fraction) {
        return new DeployEvent(stage, message, fraction, Instant.now());
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public void close() {
        database.close();
    }
}
