package dev.codedeploy.jenkins;

import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.CodeDeployClientException;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployEvent;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.FollowTimeoutException;
import dev.codedeploy.client.RegionCounts;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * One call of {@code codeDeploy}, on a pooled thread of its own: asks the codedeploy server for a deploy, then follows
 * its events into the build log until it ends (or, without {@code waitForRollout}, until its release is published).
 * The deploy is the server's: an abort of the Jenkins build interrupts this thread, which stops following (and
 * cancels the deploy only when the step asks for it); a controller restart ends the step (synchronous steps do not
 * resume) while the deploy goes on.
 */
final class CodeDeployExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    private static final long serialVersionUID = 1L;
    /** Past the deploy's deadline, how long to wait for the server to record its end. */
    private static final Duration GRACE = Duration.ofMinutes(1);

    @SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED", justification = "a synchronous step does not resume")
    private final transient CodeDeployStep step;

    CodeDeployExecution(CodeDeployStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        StepLog log = new StepLog(getContext().get(TaskListener.class).getLogger());
        Run<?, ?> run = getContext().get(Run.class);
        CodeDeployGlobalConfiguration settings = CodeDeployGlobalConfiguration.get();
        CodeDeployClient client = ServerConnection.open(settings, step.getCredentialsId(), new SystemCredentials(), new RunCredentials(run));
        String requester = "jenkins " + run.getExternalizableId();
        CreateDeploy request = request(settings, requester);
        log.line("deploying " + request.sha() + " to " + (request.environment() == null ? "the server's default environment" : request.environment())
                + " from " + (request.repository() == null ? "the server's default repository" : request.repository()) + " on "
                + client.server() + " (timeout " + (step.getTimeoutMinutes() == 0 ? "the server's" : step.getTimeoutMinutes() + " min")
                + (step.isWaitForRollout() ? ", waiting for the rollout" : ", until the release is published") + ")");
        Deploy deploy;
        try {
            deploy = client.createDeploy(request);
        } catch (CodeDeployClientException e) {
            // a bad SHA or repository, an unknown or locked environment, a refused token, an unreachable server
            throw new AbortException("codeDeploy: deploy not requested: " + e.getMessage());
        }
        log.line("deploy " + deploy.id() + " requested (" + client.server() + "api/v1/deploys/" + deploy.id() + ")");
        Deploy done = follow(client, deploy, log, requester);
        summarize(done, log);
        if (done.succeeded() || (!step.isWaitForRollout() && !done.isFinal())) {
            return ResultMap.of(done, DeployState.SUCCEEDED.name());
        }
        throw new AbortException(failure(done));
    }

    /** What a deploy that did not succeed says: its state, the stage it stopped in, its build and its error. */
    static String failure(Deploy done) {
        String stage = done.timings().isEmpty() ? "before its build" : "in stage " + done.timings().get(done.timings().size() - 1).stage();
        return "codeDeploy: deploy " + done.id() + " of " + done.sha() + " to " + done.environment() + " " + done.state() + " " + stage
                + (done.timedOut() ? " (timed out)" : "") + (done.jobId() == null ? "" : " (build " + done.jobId() + ")")
                + (done.error() == null ? "" : ": " + done.error());
    }

    /** Follows {@code deploy} until it ends, or until it is published when the step does not wait for the rollout. */
    private Deploy follow(CodeDeployClient client, Deploy deploy, StepLog log, String requester) throws IOException, InterruptedException {
        Predicate<DeployEvent> until = step.isWaitForRollout() ? event -> false : CodeDeployExecution::published;
        Instant deadline = deploy.deadline() == null ? Instant.now().plus(Duration.ofMinutes(step.getTimeoutMinutes())) : deploy.deadline();
        Duration wait = Duration.between(Instant.now(), deadline).plus(GRACE);
        try {
            Deploy done = client.follow(deploy.id(), 0, log, wait.isNegative() ? GRACE : wait, until);
            if (!done.isFinal()) {
                log.line("release version " + done.releaseVersion() + " of " + done.environment() + " published; not waiting for the"
                        + " rollout: deploy " + done.id() + " goes on, on the server");
            }
            return done;
        } catch (InterruptedException e) {
            log.line("stopped following deploy " + deploy.id() + " of " + deploy.sha() + "; " + stopped(client, deploy, requester));
            throw e;
        } catch (FollowTimeoutException e) {
            String what = step.isCancelBuildOnAbort() ? "; " + stopped(client, deploy, requester) : "";
            throw new AbortException("codeDeploy: " + e.getMessage() + what);
        } catch (CodeDeployClientException e) {
            throw new AbortException("codeDeploy: following deploy " + deploy.id() + " failed: " + e.getMessage()
                    + "; the deploy itself goes on, on the server");
        }
    }

    /** Cancels the deploy when the step asks for it; says what became of it. */
    private String stopped(CodeDeployClient client, Deploy deploy, String requester) {
        if (!step.isCancelBuildOnAbort()) {
            return "the deploy goes on, on the server (codedeploy follow " + deploy.id() + " attaches to it)";
        }
        try {
            client.cancel(deploy.id(), requester + " (stopped following)");
            return "the deploy was cancelled";
        } catch (CodeDeployClientException e) {
            return "the deploy could not be cancelled: " + e.getMessage();
        }
    }

    /** True once the release is published: the rollout has begun, or the deploy ended. */
    private static boolean published(DeployEvent event) {
        return event.state().ordinal() >= DeployState.ROLLING_OUT.ordinal();
    }

    private CreateDeploy request(CodeDeployGlobalConfiguration settings, String requester) throws IOException, InterruptedException {
        if (step.getSha() == null || step.getSha().isEmpty()) {
            throw new AbortException("codeDeploy: no commit SHA: write codeDeploy 'the full 40-hex SHA' or codeDeploy sha: ...");
        }
        Long timeout = step.getTimeoutMinutes() == 0 ? null : Duration.ofMinutes(step.getTimeoutMinutes()).toSeconds();
        return new CreateDeploy(step.getSha(), step.getEnvironment(), repoUrl(settings), requester, timeout);
    }

    /** The step's repository, else the global default, else the build's {@code GIT_URL}, else the server's default. */
    private String repoUrl(CodeDeployGlobalConfiguration settings) throws IOException, InterruptedException {
        if (step.getRepoUrl() != null) {
            return step.getRepoUrl();
        }
        if (settings.getDefaultRepoUrl() != null) {
            return settings.getDefaultRepoUrl();
        }
        EnvVars env = getContext().get(EnvVars.class);
        String gitUrl = env == null ? null : env.get("GIT_URL");
        return gitUrl == null || gitUrl.isBlank() ? null : gitUrl;
    }

    private static void summarize(Deploy deploy, StepLog log) {
        log.line(deploy.state() + ": deploy " + deploy.id() + (deploy.jobId() == null ? "" : ", build " + deploy.jobId()) + " of "
                + deploy.sha() + " to " + deploy.environment()
                + (deploy.artifactSha256() == null ? "" : ", artifact sha256 " + deploy.artifactSha256() + " (" + deploy.artifactSize() + " bytes)"));
        for (RegionCounts region : deploy.regions()) {
            log.line("region " + region.region() + ": " + region.healthy() + "/" + region.hosts() + " hosts healthy on the build, "
                    + region.failed() + " failed");
        }
    }
}
