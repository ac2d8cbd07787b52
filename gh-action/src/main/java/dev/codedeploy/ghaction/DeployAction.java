package dev.codedeploy.ghaction;

import dev.codedeploy.CodeDeploy;
import dev.codedeploy.DeployRequest;
import dev.codedeploy.DeployResult;
import dev.codedeploy.DeployTimeoutException;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.github.GitHubException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * One run of the action: check the inputs, create the GitHub deployment, deploy through the {@link CodeDeploy}
 * facade while logging each stage and moving the deployment status, then write the outputs, the job summary and the
 * final status. Nothing is queued (and no deployment created) when an input is bad.
 */
final class DeployAction {

    /** Exit code: deployed. */
    static final int SUCCEEDED = 0;
    /** Exit code: the deploy failed, timed out, was cancelled, or could not run. */
    static final int FAILED = 1;
    /** Exit code: an input is bad; nothing was queued. */
    static final int BAD_INPUT = 2;

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
        // the token first: nothing below may print it unmasked
        secrets.add(env.get(ActionInputs.GITHUB_TOKEN));
        ActionInputs inputs;
        CodeDeployConfig config;
        try {
            inputs = ActionInputs.read(env);
            config = ConfigInput.load(inputs.config(), secrets);
        } catch (InvalidInputException e) {
            for (String problem : e.getMessage().split("\n")) {
                log.error("codedeploy: bad input", problem);
            }
            JobSummary.append(summaryFile, JobSummary.ofError("bad input, nothing was deployed", e.getMessage()), secrets);
            return BAD_INPUT;
        }
        log.line("codedeploy: deploying " + inputs.sha() + " to " + inputs.environment() + " from " + inputs.repoUrl()
                + " (timeout " + inputs.timeout().toMinutes() + " min, " + (inputs.waitForRollout() ? "waiting for the rollout" : "not waiting for the rollout")
                + (inputs.cancelBuildOnStop() ? ", the build is cancelled with the workflow" : "") + ")");
        DeploymentStatuses statuses = deployment(inputs);
        if (statuses == null) {
            return FAILED;
        }
        return deploy(inputs, config, statuses);
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
        } catch (InvalidInputException e) {
            stopBeforeDeploy("bad input, nothing was deployed", "input 'github-token': " + e.getMessage());
            return null;
        }
    }

    private int deploy(ActionInputs inputs, CodeDeployConfig config, DeploymentStatuses statuses) {
        Instant start = Instant.now();
        DeployRequest request = DeployRequest.of(inputs.sha())
                .withEnvironment(inputs.environment())
                .withRepoUrl(inputs.repoUrl())
                .withRequestedBy(inputs.requestedBy())
                .withWaitForRollout(inputs.waitForRollout())
                .withTimeout(inputs.timeout())
                .withCancelBuildOnStop(inputs.cancelBuildOnStop())
                .withListener(new ProgressLog(log, statuses, start));
        DeployResult result;
        String status;
        try (CodeDeploy codeDeploy = CodeDeploy.open(config)) {
            result = deploy(codeDeploy, request);
            status = result.stage().name();
        } catch (DeployTimeoutException e) {
            result = e.lastKnown();
            status = "TIMED_OUT";
            if (result == null) {
                return stopDuringDeploy(statuses, status, e.getMessage());
            }
            result = withError(result, e.getMessage());
        } catch (InterruptedException e) {
            String what = (cancelling ? "the workflow was cancelled" : "interrupted") + "; the codedeploy build "
                    + (inputs.cancelBuildOnStop() ? "was cancelled" : "goes on");
            return stopDuringDeploy(statuses, "CANCELLED", what);
        } catch (RuntimeException e) {
            // the database or a blob store unreachable, a configuration the facade refused, ...: the system's error,
            // not the change's failure
            return stopDuringDeploy(statuses, "ERROR", describe(e));
        }
        log.endGroup();
        outputs.set("job-id", result.jobId());
        outputs.set("build-id", result.buildId());
        outputs.set("status", status);
        outputs.set("artifact-sha256", result.artifactSha256());
        outputs.set("artifact-size", result.artifactSize());
        outputs.set("error", result.error());
        JobSummary.append(summaryFile, JobSummary.of(result, status, inputs, statuses.id()), secrets);
        String line = status + ": build " + result.buildId() + " of " + result.sha() + " to " + result.environment();
        statuses.finish(DeploymentStatuses.finalState(status),
                result.succeeded() ? line : line + (result.error() == null ? "" : ": " + firstLine(result.error())));
        if (!result.succeeded()) {
            log.error("codedeploy: " + status, line + (result.error() == null ? "" : "\n" + result.error()));
            return FAILED;
        }
        log.line("codedeploy: " + line + (result.artifactSha256() == null ? "" : ", artifact sha256 " + result.artifactSha256()));
        return SUCCEEDED;
    }

    /** The one call into the library. */
    private static DeployResult deploy(CodeDeploy codeDeploy, DeployRequest request) throws InterruptedException {
        return codeDeploy.deploy(request);
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

    private static DeployResult withError(DeployResult r, String error) {
        String combined = r.error() == null ? error : error + "\n" + r.error();
        return new DeployResult(r.jobId(), r.sha(), r.environment(), r.stage(), r.artifactSha256(), r.artifactSize(), r.regions(),
                r.timings(), combined);
    }

    private static String describe(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return e instanceof dev.codedeploy.CodeDeployException ? message : e.getClass().getSimpleName() + ": " + message;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
