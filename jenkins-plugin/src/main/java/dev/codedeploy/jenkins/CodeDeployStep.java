package dev.codedeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The {@code codeDeploy} Pipeline step: asks the codedeploy server to deploy a commit (build it once, replicate it to
 * every region, roll it out) and follows the deploy, writing each stage to the build log and returning a map that
 * describes the result.
 *
 * <pre>
 * codeDeploy 'a94f3c...'
 * def r = codeDeploy sha: env.GIT_COMMIT, environment: 'staging', timeoutMinutes: 20
 * </pre>
 */
public final class CodeDeployStep extends Step {

    private final String sha;
    private String environment;
    private String repoUrl;
    private boolean waitForRollout = true;
    private int timeoutMinutes;
    private String credentialsId;
    private boolean cancelBuildOnAbort;

    /** A deploy of {@code sha}, the full 40-hex commit SHA (the lone argument of {@code codeDeploy 'sha'}). */
    @DataBoundConstructor
    public CodeDeployStep(String sha) {
        this.sha = sha == null ? null : sha.trim();
    }

    public String getSha() {
        return sha;
    }

    public String getEnvironment() {
        return environment;
    }

    /** The environment to deploy to; empty means the server's default. */
    @DataBoundSetter
    public void setEnvironment(String environment) {
        this.environment = blankToNull(environment);
    }

    public String getRepoUrl() {
        return repoUrl;
    }

    /** The repository to build from; empty means the global default, then the run's {@code GIT_URL}, then the server's default. */
    @DataBoundSetter
    public void setRepoUrl(String repoUrl) {
        this.repoUrl = blankToNull(repoUrl);
    }

    public boolean isWaitForRollout() {
        return waitForRollout;
    }

    /** Wait until every host runs the build (true, the default), or return once the release is published. */
    @DataBoundSetter
    public void setWaitForRollout(boolean waitForRollout) {
        this.waitForRollout = waitForRollout;
    }

    public int getTimeoutMinutes() {
        return timeoutMinutes;
    }

    /** The longest the deploy may take (the server fails it then); 0 means the server's {@code deploys.timeout}. */
    @DataBoundSetter
    public void setTimeoutMinutes(int timeoutMinutes) {
        this.timeoutMinutes = timeoutMinutes;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** "Secret text" credentials holding a codedeploy token for this call, looked up as the build, instead of the global ones. */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = blankToNull(credentialsId);
    }

    public boolean isCancelBuildOnAbort() {
        return cancelBuildOnAbort;
    }

    /** When the Jenkins build is aborted (or the step's wait outlasts the deploy's deadline), also cancel the deploy. */
    @DataBoundSetter
    public void setCancelBuildOnAbort(boolean cancelBuildOnAbort) {
        this.cancelBuildOnAbort = cancelBuildOnAbort;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new CodeDeployExecution(this, context);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Registers the step as {@code codeDeploy}. */
    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "codeDeploy";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Deploy a commit with codedeploy";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            // both exist outside node {}: the step needs no agent, it talks only to the codedeploy server
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
