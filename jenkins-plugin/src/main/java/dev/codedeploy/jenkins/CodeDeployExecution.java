package dev.codedeploy.jenkins;

import dev.codedeploy.CodeDeploy;
import dev.codedeploy.CodeDeployException;
import dev.codedeploy.DeployRequest;
import dev.codedeploy.DeployResult;
import dev.codedeploy.RegionResult;
import dev.codedeploy.config.CodeDeployConfig;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * One call of {@code codeDeploy}, on a pooled thread of its own. An abort of the build interrupts that thread: the
 * library then stops waiting (and cancels the codedeploy build first when the step asks for it). Like every
 * synchronous step it does not survive a controller restart; the codedeploy build itself goes on regardless.
 */
final class CodeDeployExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    private static final long serialVersionUID = 1L;
    private static final String MYSQL_DRIVER = "com.mysql.cj.jdbc.Driver";

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
        CodeDeployConfig config = new ConfigAssembler(settings, new SystemCredentials(), new RunCredentials(run))
                .assemble(step.getCredentialsId());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Flyway and MyBatis look for their resources through the context class loader: make it the plugin's
        thread.setContextClassLoader(CodeDeployExecution.class.getClassLoader());
        try {
            registerJdbcDriver();
            DeployRequest request = request(settings, config, run, log);
            log.line("deploying " + request.sha() + " to " + (request.environment() == null ? "the default environment" : request.environment())
                    + " from " + request.repoUrl() + " (timeout " + request.timeout().toMinutes() + " min"
                    + (request.waitForRollout() ? ", waiting for the rollout" : "") + ")");
            try (CodeDeploy codeDeploy = CodeDeploy.open(config)) {
                DeployResult result = deploy(codeDeploy, request);
                summarize(result, log);
                if (!result.succeeded()) {
                    throw new AbortException("codeDeploy: build " + result.buildId() + " of " + result.sha() + " " + result.stage()
                            + (result.error() == null ? "" : ": " + result.error()));
                }
                return ResultMap.of(result);
            } catch (InterruptedException e) {
                log.line("stopped waiting for " + request.sha() + (request.cancelBuildOnStop()
                        ? "; its codedeploy build was cancelled" : "; its codedeploy build goes on"));
                throw e;
            }
        } catch (CodeDeployException e) {
            // a bad SHA or repository, a timeout, an unreachable database: the message says which
            throw new AbortException("codeDeploy: " + e.getMessage());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The one call into the library. */
    private static DeployResult deploy(CodeDeploy codeDeploy, DeployRequest request) throws InterruptedException {
        return codeDeploy.deploy(request);
    }

    private DeployRequest request(CodeDeployGlobalConfiguration settings, CodeDeployConfig config, Run<?, ?> run, StepLog log)
            throws IOException, InterruptedException {
        if (step.getSha() == null || step.getSha().isEmpty()) {
            throw new AbortException("codeDeploy: no commit SHA: write codeDeploy 'the full 40-hex SHA' or codeDeploy sha: ...");
        }
        DeployRequest request = DeployRequest.of(step.getSha())
                .withEnvironment(step.getEnvironment())
                .withRepoUrl(repoUrl(settings, config))
                .withRequestedBy("jenkins " + run.getExternalizableId())
                .withWaitForRollout(step.isWaitForRollout())
                .withCancelBuildOnStop(step.isCancelBuildOnAbort())
                .withListener(log);
        return step.getTimeoutMinutes() == 0 ? request : request.withTimeout(Duration.ofMinutes(step.getTimeoutMinutes()));
    }

    private String repoUrl(CodeDeployGlobalConfiguration settings, CodeDeployConfig config) throws IOException, InterruptedException {
        if (step.getRepoUrl() != null) {
            return step.getRepoUrl();
        }
        if (settings.getDefaultRepoUrl() != null) {
            return settings.getDefaultRepoUrl();
        }
        EnvVars env = getContext().get(EnvVars.class);
        String gitUrl = env == null ? null : env.get("GIT_URL");
        if ((gitUrl == null || gitUrl.isBlank()) && config.defaults().repoUrl() != null) {
            return config.defaults().repoUrl();
        }
        if (gitUrl == null || gitUrl.isBlank()) {
            throw new AbortException("codeDeploy: no repository URL: give repoUrl: to the step, set a default repository"
                    + " in the codedeploy global configuration, or check out with git first (GIT_URL)");
        }
        return gitUrl;
    }

    private static void summarize(DeployResult result, StepLog log) {
        log.line(result.stage() + ": build " + result.buildId() + " of " + result.sha()
                + (result.artifactSha256() == null ? "" : ", artifact sha256 " + result.artifactSha256() + " (" + result.artifactSize() + " bytes)"));
        for (RegionResult region : result.regions()) {
            log.line("region " + region.region() + ": " + region.healthy() + "/" + region.hosts() + " hosts healthy on the build, "
                    + region.failed() + " failed");
        }
    }

    private static void registerJdbcDriver() {
        // Jenkins' DriverManager looked for drivers before this plugin was loaded; loading the bundled driver class
        // registers it, so that the connection pool finds it
        try {
            Class.forName(MYSQL_DRIVER, true, CodeDeployExecution.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the bundled MySQL driver " + MYSQL_DRIVER + " is missing from the plugin", e);
        }
    }
}
