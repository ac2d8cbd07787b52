package dev.codedeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The codedeploy section of Manage Jenkins › System: the codedeploy server the step asks for deploys, and the Jenkins
 * credentials ("Secret text") that hold its API token. Nothing else: the database, the blob stores, ZooKeeper and the
 * signing key stay with the server. Every field is a plain string so that configuration-as-code can set it
 * ({@code unclassified: codeDeploy: ...}).
 */
@Extension
@Symbol("codeDeploy")
public class CodeDeployGlobalConfiguration extends GlobalConfiguration {

    private String serverUrl;
    private String credentialsId;
    private String defaultRepoUrl;

    /** Loads the saved settings. */
    public CodeDeployGlobalConfiguration() {
        load();
    }

    /** The one instance Jenkins made. */
    public static CodeDeployGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(CodeDeployGlobalConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return "codedeploy";
    }

    public String getServerUrl() {
        return serverUrl;
    }

    /** The codedeploy server's URL, {@code https://codedeploy.example.com} (its API is under {@code /api/v1}). */
    @DataBoundSetter
    public void setServerUrl(String serverUrl) {
        this.serverUrl = clean(serverUrl);
        save();
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** "Secret text" credentials holding an API token of the server with the deploy scope, looked up as the system. */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = clean(credentialsId);
        save();
    }

    public String getDefaultRepoUrl() {
        return defaultRepoUrl;
    }

    /** The repository a step builds from when it names none (before the build's {@code GIT_URL}). */
    @DataBoundSetter
    public void setDefaultRepoUrl(String defaultRepoUrl) {
        this.defaultRepoUrl = clean(defaultRepoUrl);
        save();
    }

    private static String clean(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
