package dev.codedeploy;

import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.config.Durations;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.deploys.DeployConductor;
import dev.codedeploy.deploys.Deploys;
import dev.codedeploy.queue.CancelResult;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.JobStatus;
import dev.codedeploy.queue.PageRequest;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.replication.Replica;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.rollout.DeployLock;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The entry point of codedeploy as a library, for those who embed the control plane: {@code codeDeploy(sha)} from
 * Java. A deploy is a row of the {@code deploys} table, moved through its stages by a {@link DeployConductor}; this
 * class records the request and follows it, reporting progress to the request's listener. It runs a conductor of its
 * own for the deploys it requests (with the configuration's signing key and ZooKeeper it publishes too; without them
 * it takes them up to PUBLISHING and a server's conductor goes on), and the conductors of {@code codedeploy server}
 * may take them as well: a deploy goes on when this process stops. Builder workers, replicators and the rollout
 * driver run in {@code codedeploy server} processes. A remote client holding only a URL and a token uses
 * {@code dev.codedeploy.client.CodeDeployClient} instead.
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
    private final Deploys deploys;
    private S3BlobStore masterStore;
    private RolloutControlPlane rollout;
    private DeployConductor conductor;

    private CodeDeploy(CodeDeployConfig config) {
        this.config = config;
        this.database = Database.open(config.database());
        this.queue = new JobQueue(database, config.queue());
        this.deploys = new Deploys(database, config.deploys(), config.environments(), config.defaults(), this::lockOf);
    }

    /** The lock or freeze of {@code environment}, described, when this process can see the master ZooKeeper. */
    private Optional<String> lockOf(String environment) {
        if (config.zooKeeper() == null) {
            return Optional.empty();
        }
        return rollout().locks().current(environment).map(DeployLock::describe);
    }

    /** This process's conductor of the deploys it requests, started on first use. */
    private synchronized DeployConductor conductor() {
        if (conductor == null) {
            boolean canPublish = config.zooKeeper() != null && config.rollout().privateKey() != null;
            DeployConductor scoped = DeployConductor.scoped(database, canPublish ? rollout() : null, gate(), config.deploys(),
                    "embedded-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(System.identityHashCode(this)));
            scoped.start();
            conductor = scoped;
        }
        return conductor;
    }

    /** The rollout API (no long-running roles: those run in {@code codedeploy server}), connected on first use. */
    synchronized RolloutControlPlane rollout() {
        if (rollout == null) {
            masterStore = new S3BlobStore("master", config.blobStore());
            RolloutControlPlane plane = RolloutControlPlane.of(config, database, masterStore, Set.of());
            plane.start();
            rollout = plane;
        }
        return rollout;
    }

    private DeployGate gate() {
        return new DeployGate(database, config.regions().stream().map(RegionConfig::name).collect(Collectors.toSet()),
                config.replication().gateOverride());
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
        DeployProgress progress = new DeployProgress(request.listener(), DeployStage.QUEUED);
        Job job = enqueue(request, progress);
        Job done = awaitBuild(job, request, deadline, progress);
        return finish(done, request, progress, done.status() == JobStatus.COMPLETED ? DeployStage.SUCCEEDED : null, List.of(), null);
    }

    /**
     * {@code codeDeploy(sha)}: records the deploy and follows it until every host runs the build healthy (or, when the
     * request does not wait for the rollout, until its release is published).
     *
     * @return SUCCEEDED, or FAILED with the reason (build failed, rollout rolled back, superseded) or CANCELLED
     * @throws InvalidInputException   for a malformed SHA or repository URL, or an unknown environment (nothing is stored)
     * @throws ConflictException       when the environment is locked or frozen
     * @throws DeployTimeoutException  when the request's timeout passes first (the deploy fails at that deadline too)
     * @throws InterruptedException    when the calling thread is interrupted; the deploy goes on, unless the request
     *                                 asks {@link DeployRequest#cancelBuildOnStop()}: then it is cancelled
     */
    public DeployResult deploy(DeployRequest request) throws InterruptedException {
        Deploy created = deploys.create(new CreateDeploy(request.sha(), environment(request), request.repoUrl(), null,
                Math.max(1, request.timeout().toSeconds())), request.requestedBy());
        conductor().adopt(created.id());
        return new DeployFollow(deploys, created, request).await();
    }

    /** The deploys of this configuration's database: request, read, list, cancel, and their history. */
    public Deploys deploys() {
        return deploys;
    }

    private Job enqueue(DeployRequest request, DeployProgress progress) {
        Job job = queue.enqueue(repoUrl(request), request.sha(), request.requestedBy());
        progress.report("queued build job " + job.id() + " for " + job.sha(), null);
        return job;
    }

    private Job awaitBuild(Job queued, DeployRequest request, Instant deadline, DeployProgress progress) throws InterruptedException {
        Job job = queued;
        String lastStage = null;
        try {
            while (!job.status().isFinal()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new DeployTimeoutException("build job " + job.id() + " did not finish within " + request.timeout()
                            + " (it is " + job.status() + ")", finish(job, request, progress, progress.stage(), List.of(), null));
                }
                Thread.sleep(POLL.toMillis());
                job = queue.find(job.id()).orElseThrow();
                if (job.status() == JobStatus.RUNNING && job.stage() != null && !job.stage().equals(lastStage)) {
                    lastStage = job.stage();
                    progress.enter(DeployStage.BUILDING, "job " + job.id() + " attempt " + job.attempt() + " on " + job.workerId()
                            + ": " + job.stage().toLowerCase().replace('_', ' '));
                }
            }
            if (lastStage == null && job.startedAt() != null && job.finishedAt() != null) {
                // built between two polls: its time on the worker, from the database's clock, is the BUILDING stage
                Duration built = Duration.between(job.startedAt(), job.finishedAt());
                progress.enter(DeployStage.BUILDING, "job " + job.id() + " attempt " + job.attempt() + " on " + job.workerId()
                        + ": built in " + Durations.format(built), built);
            }
            return job;
        } catch (InterruptedException | DeployTimeoutException e) {
            if (request.cancelBuildOnStop()) {
                queue.cancel(job.id(), request.requestedBy() + " (stopped waiting)");
            }
            throw e;
        }
    }

    /**
     * The result of a deploy that stopped at {@code job}: {@code stage} when given, else derived from the job's
     * status (FAILED or CANCELLED).
     */
    private DeployResult finish(Job job, DeployRequest request, DeployProgress progress, DeployStage stage, List<RegionResult> regions,
                                String error) {
        DeployStage end = stage;
        if (end == null) {
            end = job.status() == JobStatus.CANCELLED ? DeployStage.CANCELLED : DeployStage.FAILED;
            progress.enter(end, "build job " + job.id() + " " + job.status() + (job.error() == null ? "" : ": " + firstLine(job.error())));
        } else if (end == DeployStage.SUCCEEDED && progress.stage() != DeployStage.SUCCEEDED) {
            progress.enter(end, "build job " + job.id() + " COMPLETED: " + job.artifactKey());
        }
        String why = error != null ? error : end == DeployStage.SUCCEEDED || !end.isFinal() ? null : job.error();
        return new DeployResult(job.id(), job.sha(), environment(request), end, job.artifactSha256(), job.artifactSize(),
                regions, progress.timings(), why);
    }

    /** The job with this id. */
    public Optional<Job> job(long jobId) {
        return queue.find(jobId);
    }

    /** The newest jobs of all commits. */
    public List<Job> recentJobs(int limit) {
        return queue.findRecent(PageRequest.first(limit));
    }

    /** Where each region's copy of a build stands. */
    public List<Replica> replicas(long buildId) {
        return gate().rows(buildId);
    }

    /** The newest jobs of a commit. */
    public List<Job> history(String sha, int limit) {
        return queue.findBySha(sha, PageRequest.first(limit));
    }

    /** Cancels a job: at once when QUEUED, at its worker's next heartbeat when RUNNING. */
    public CancelResult cancel(long jobId, String by) {
        return queue.cancel(jobId, by);
    }

    /**
     * Rolls {@code environment} back to the build it ran before the current release; the rollout driver then takes
     * every host back.
     *
     * @return the release written (the previous build, flagged as a rollback)
     */
    public Release rollback(String environment, String by, String reason) {
        return rollout().rollback(ZkLayout.checkEnvironment(environment), by, reason).release();
    }

    /** Pauses the rollout of {@code environment}: no further wave opens. */
    public Release pause(String environment, String by) {
        return rollout().pause(ZkLayout.checkEnvironment(environment), by);
    }

    /** Resumes a paused rollout. */
    public Release resume(String environment, String by) {
        return rollout().resume(ZkLayout.checkEnvironment(environment), by);
    }

    /** Locks {@code environment}: publishing is refused until {@link #unlock}, unless forced with a reason. */
    public DeployLock lock(String environment, String by, String reason) {
        return rollout().locks().lock(ZkLayout.checkEnvironment(environment), by, reason);
    }

    /** Freezes {@code environment} until {@code until}. */
    public DeployLock freeze(String environment, String by, String reason, Instant until) {
        return rollout().locks().freeze(ZkLayout.checkEnvironment(environment), by, reason, until);
    }

    /** Removes the lock or freeze of {@code environment}; false when there was none. */
    public boolean unlock(String environment, String by) {
        return rollout().locks().unlock(ZkLayout.checkEnvironment(environment), by);
    }

    /** Where {@code environment} stands: its release and, per region, the hosts by build and state. */
    public RolloutStatus status(String environment) {
        return rollout().status(ZkLayout.checkEnvironment(environment));
    }

    /** The configuration this instance runs with. */
    public CodeDeployConfig config() {
        return config;
    }

    private String repoUrl(DeployRequest request) {
        if (request.repoUrl() != null) {
            return request.repoUrl();
        }
        if (config.defaults().repoUrl() != null) {
            return config.defaults().repoUrl();
        }
        throw new InvalidInputException("no repository URL: give one with the request, or set defaults.repoUrl in the configuration");
    }

    private String environment(DeployRequest request) {
        return request.environment() == null ? config.defaults().environment() : request.environment();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public synchronized void close() {
        if (conductor != null) {
            conductor.close();
        }
        if (rollout != null) {
            rollout.close();
        }
        if (masterStore != null) {
            masterStore.close();
        }
        database.close();
    }
}
