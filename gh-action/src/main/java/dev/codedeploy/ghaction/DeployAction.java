package dev.codedeploy.ghaction;

import dev.codedeploy.client.ApiException;
import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.CodeDeployClientException;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployEvent;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.FollowTimeoutException;
import dev.codedeploy.ghaction.github.GitHubException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One run of the action: check the inputs, create the GitHub deployment, ask the codedeploy server for a deploy and
 * follow its events (logging each stage and moving the deployment status), then write the outputs, the job summary
 * and the final status. The adapter holds the server's URL and a token, nothing else: the deploy is the server's, and
 * goes on when the run stops following it, unless {@code cancel-build-on-stop} asks to cancel it. Nothing is
 * requested (and no deployment created) when an input is bad.
 */
final class DeployAction {

    /** Exit code: deployed. */
    static final int SUCCEEDED = 0;
    /** Exit code: the deploy failed, timed out, was cancelled or superseded, or could not run. */
    static final int FAILED = 1;
    /** Exit code: an input is bad; nothing was requested. */
    static final int BAD_INPUT = 2;

    /** Past the deploy's deadline, how long to wait for the server to record its end. */
    private static final Duration GRACE = Duration.ofMinutes(1);

    private final Map<String, String> env;
    private final Secrets secrets;
    private final WorkflowCommands log;
    private final OutputFile outputs;
    private final Path summaryFile;
    private volatile boolean cancelling;

    DeployAction(Map<String, String> env, Secrets secrets, WorkflowCommands log) {
        this.env = env;
        this.secrets = secrets;
        this.log = log;
        this.outputs = new OutputFile(path(env.get("GITHUB_OUTPUT")), secrets);
        this.summaryFile = path(env.get("GITHUB_STEP_SUMMARY"));
    }

    /** Says that the workflow is being cancelled: the interrupt that follows is a cancellation. */
    void cancelling() {
        cancelling = true;
    }

    /** Runs the action and returns the process's exit code. */
    int run() {
        // the tokens first: nothing below may print them unmasked
        secrets.add(env.get(ActionInputs.GITHUB_TOKEN));
        secrets.add(env.get(ActionInputs.TOKEN));
        ActionInputs inputs;
        try {
            inputs = ActionInputs.read(env);
        } catch (BadInputException e) {
            for (String problem : e.getMessage().split("\n")) {
                log.error("codedeploy: bad input", problem);
            }
            JobSummary.append(summaryFile, JobSummary.ofError("bad input, nothing was deployed", e.getMessage()), secrets);
            return BAD_INPUT;
        }
        log.line("codedeploy: deploying " + inputs.sha() + " to " + inputs.environment() + " from " + inputs.repoUrl() + " on "
                + inputs.serverUrl() + " (timeout " + inputs.timeout().toMinutes() + " min, "
                + (inputs.waitForRollout() ? "waiting for the rollout" : "until the release is published")
                + (inputs.cancelBuildOnStop() ? ", the deploy is cancelled with the workflow" : "") + ")");
        DeploymentStatuses statuses = deployment(inputs);
        if (statuses == null) {
            return FAILED;
        }
        return deploy(inputs, CodeDeployClient.create(inputs.serverUrl(), inputs.token()), statuses);
    }

    private DeploymentStatuses deployment(ActionInputs inputs) {
        if (inputs.github() == null) {
            log.notice("codedeploy: github-token is empty, so no GitHub deployment and no deployment statuses are posted");
            return DeploymentStatuses.none(log);
        }
        try {
            DeploymentStatuses statuses = DeploymentStatuses.create(inputs, log);
            outputs.set("deployment-id", statuses.id());
            return statuses;
        } catch (GitHubException e) {
            if (e.statusCode() == -1 || e.statusCode() >= 500) {
                // GitHub is down: the deploy matters more than its report
                log.warning("codedeploy: deploying without GitHub deployment statuses: " + e.getMessage());
                return DeploymentStatuses.none(log);
            }
            stopBeforeDeploy("GitHub refused the deployment", e.getMessage());
            return null;
        } catch (IllegalArgumentException e) {
            stopBeforeDeploy("bad input, nothing was deployed", "input 'github-token': " + e.getMessage());
            return null;
        }
    }

    private int deploy(ActionInputs inputs, CodeDeployClient client, DeploymentStatuses statuses) {
        Instant start = Instant.now();
        Deploy requested;
        try {
            requested = client.createDeploy(new CreateDeploy(inputs.sha(), inputs.environment(), inputs.repoUrl(), inputs.requestedBy(),
                    inputs.timeout().toSeconds()));
        } catch (ApiException e) {
            // the server's own check of the request (a repository it does not build, an unknown environment, a
            // refused token): nothing was created
            boolean badInput = e.status() == 400 || e.status() == 404 || e.status() == 422;
            stopDuringDeploy(statuses, "ERROR", "the codedeploy server at " + inputs.serverUrl() + " refused the deploy: " + e.getMessage());
            return badInput ? BAD_INPUT : FAILED;
        } catch (CodeDeployClientException e) {
            return stopDuringDeploy(statuses, cancelling ? "CANCELLED" : "ERROR", e.getMessage());
        }
        outputs.set("deploy-id", requested.id());
        log.line("codedeploy: deploy " + requested.id() + " requested (" + inputs.serverUrl() + "/api/v1/deploys/" + requested.id() + ")");
        Deploy done;
        try {
            done = client.follow(requested.id(), 0, new ProgressLog(log, statuses, start), maxWait(requested, inputs), until(inputs));
        } catch (InterruptedException e) {
            return stopDuringDeploy(statuses, "CANCELLED", (cancelling ? "the workflow was cancelled" : "interrupted") + "; "
                    + stopped(client, requested, inputs));
        } catch (FollowTimeoutException e) {
            Deploy last = e.lastKnown();
            String what = e.getMessage() + (inputs.cancelBuildOnStop() ? "; " + stopped(client, requested, inputs) : "");
            return last == null ? stopDuringDeploy(statuses, "TIMED_OUT", what) : finish(inputs, statuses, last, "TIMED_OUT", what);
        } catch (CodeDeployClientException e) {
            return stopDuringDeploy(statuses, "ERROR", "following deploy " + requested.id() + " failed: " + e.getMessage()
                    + "; the deploy itself goes on, on the server");
        }
        log.endGroup();
        if (!done.isFinal()) {
            log.line("codedeploy: release version " + done.releaseVersion() + " of " + done.environment() + " published; not waiting for"
                    + " the rollout: deploy " + done.id() + " goes on, on the server");
        }
        String status = status(done);
        return finish(inputs, statuses, done, status, status.equals("SUCCEEDED") ? null : failure(done));
    }

    private int finish(ActionInputs inputs, DeploymentStatuses statuses, Deploy deploy, String status, String error) {
        log.endGroup();
        outputs.set("deploy-id", deploy.id());
        outputs.set("state", deploy.state().name());
        outputs.set("stage", deploy.timings().isEmpty() ? null : deploy.timings().get(deploy.timings().size() - 1).stage().name());
        outputs.set("job-id", deploy.jobId());
        outputs.set("build-id", deploy.jobId());
        outputs.set("release-version", deploy.releaseVersion());
        outputs.set("status", status);
        outputs.set("artifact-sha256", deploy.artifactSha256());
        outputs.set("artifact-size", deploy.artifactSize());
        outputs.set("error", error);
        JobSummary.append(summaryFile, JobSummary.of(deploy, status, error, inputs, statuses.id()), secrets);
        String line = status + ": deploy " + deploy.id() + (deploy.jobId() == null ? "" : ", build " + deploy.jobId()) + " of " + deploy.sha()
                + " to " + deploy.environment();
        boolean succeeded = "SUCCEEDED".equals(status);
        statuses.finish(DeploymentStatuses.finalState(status), succeeded ? line : line + ": " + firstLine(error));
        if (!succeeded) {
            log.error("codedeploy: " + status, line + "\n" + error);
            return FAILED;
        }
        log.line("codedeploy: " + line + (deploy.artifactSha256() == null ? "" : ", artifact sha256 " + deploy.artifactSha256()));
        return SUCCEEDED;
    }

    /** The {@code status} output: SUCCEEDED (also once published when not waiting), FAILED, TIMED_OUT, CANCELLED or SUPERSEDED. */
    static String status(Deploy deploy) {
        if (!deploy.isFinal()) {
            return "SUCCEEDED";
        }
        return deploy.state() == DeployState.FAILED && deploy.timedOut() ? "TIMED_OUT" : deploy.state().name();
    }

    /** Why a deploy did not succeed: its state, the stage it stopped in and its build on the first line, the server's error after. */
    static String failure(Deploy deploy) {
        String stage = deploy.timings().isEmpty() ? "before its build" : "in stage " + deploy.timings().get(deploy.timings().size() - 1).stage();
        return "deploy " + deploy.id() + " " + deploy.state() + " " + stage + (deploy.timedOut() ? " (timed out)" : "")
                + (deploy.jobId() == null ? "" : " (build " + deploy.jobId() + ")") + (deploy.error() == null ? "" : "\n" + deploy.error());
    }

    /** Until the deploy ends, or until its release is published when the run does not wait for the rollout. */
    private static Predicate<DeployEvent> until(ActionInputs inputs) {
        return inputs.waitForRollout() ? event -> false : event -> event.state().ordinal() >= DeployState.ROLLING_OUT.ordinal();
    }

    private static Duration maxWait(Deploy deploy, ActionInputs inputs) {
        Instant deadline = deploy.deadline() == null ? Instant.now().plus(inputs.timeout()) : deploy.deadline();
        Duration wait = Duration.between(Instant.now(), deadline).plus(GRACE);
        return wait.isNegative() ? GRACE : wait;
    }

    /** Cancels the deploy when {@code cancel-build-on-stop} asks for it; says what became of it. */
    private static String stopped(CodeDeployClient client, Deploy deploy, ActionInputs inputs) {
        if (!inputs.cancelBuildOnStop()) {
            return "deploy " + deploy.id() + " goes on, on the server (codedeploy follow " + deploy.id() + " attaches to it)";
        }
        try {
            // the interrupt flag would fail the call at once: clear it for this one request
            boolean interrupted = Thread.interrupted();
            client.cancel(deploy.id(), inputs.requestedBy() + " (the run stopped)");
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return "deploy " + deploy.id() + " was cancelled";
        } catch (CodeDeployClientException e) {
            return "deploy " + deploy.id() + " could not be cancelled: " + e.getMessage();
        }
    }

    private void stopBeforeDeploy(String title, String message) {
        log.error("codedeploy: " + title, message);
        JobSummary.append(summaryFile, JobSummary.ofError(title, message), secrets);
    }

    private int stopDuringDeploy(DeploymentStatuses statuses, String status, String message) {
        log.endGroup();
        outputs.set("status", status);
        outputs.set("error", message);
        statuses.finish(DeploymentStatuses.finalState(status), status + ": " + firstLine(message));
        log.error("codedeploy: " + status, message);
        JobSummary.append(summaryFile, JobSummary.ofError(status, message), secrets);
        return FAILED;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
