package dev.codedeploy.jenkins;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The codedeploy section of Manage Jenkins › System: where the codedeploy control plane is. Either a configuration
 * file on the controller, or the fields inline, or both (an inline field overrides the file's value); secrets come
 * from Jenkins credentials. Every field is a plain string so that configuration-as-code can set it
 * ({@code unclassified: codeDeploy: ...}).
 */
@Extension
@Symbol("codeDeploy")
public class CodeDeployGlobalConfiguration extends GlobalConfiguration {

    private String configFile;
    private String databaseUrl;
    private String databaseCredentialsId;
    private String blobStoreEndpoint;
    private String blobStoreBucket;
    private String blobStoreCredentialsId;
    private String zooKeeperConnectString;
    private String zooKeeperCredentialsId;
    private String defaultRepoUrl;
    private String additionalYaml;

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

    public String getConfigFile() {
        return configFile;
    }

    /** An absolute path, on the controller, of a codedeploy YAML configuration ({@code ${ENV}} substituted). */
    @DataBoundSetter
    public void setConfigFile(String configFile) {
        this.configFile = clean(configFile);
        save();
    }

    public String getDatabaseUrl() {
        return databaseUrl;
    }

    /** The JDBC URL of the jobs database, {@code jdbc:mysql://host:3306/codedeploy}. */
    @DataBoundSetter
    public void setDatabaseUrl(String databaseUrl) {
        this.databaseUrl = clean(databaseUrl);
        save();
    }

    public String getDatabaseCredentialsId() {
        return databaseCredentialsId;
    }

    /** Username with password (or secret text: the password only) for the database. */
    @DataBoundSetter
    public void setDatabaseCredentialsId(String databaseCredentialsId) {
        this.databaseCredentialsId = clean(databaseCredentialsId);
        save();
    }

    public String getBlobStoreEndpoint() {
        return blobStoreEndpoint;
    }

    /** The S3 endpoint of the master blob store; empty for AWS's default endpoint. */
    @DataBoundSetter
    public void setBlobStoreEndpoint(String blobStoreEndpoint) {
        this.blobStoreEndpoint = clean(blobStoreEndpoint);
        save();
    }

    public String getBlobStoreBucket() {
        return blobStoreBucket;
    }

    /** The master bucket. */
    @DataBoundSetter
    public void setBlobStoreBucket(String blobStoreBucket) {
        this.blobStoreBucket = clean(blobStoreBucket);
        save();
    }

    public String getBlobStoreCredentialsId() {
        return blobStoreCredentialsId;
    }

    /** Username with password: the access key id and the secret key of the blob stores. */
    @DataBoundSetter
    public void setBlobStoreCredentialsId(String blobStoreCredentialsId) {
        this.blobStoreCredentialsId = clean(blobStoreCredentialsId);
        save();
    }

    public String getZooKeeperConnectString() {
        return zooKeeperConnectString;
    }

    /** The master ZooKeeper ensemble, {@code host:2181[,host:2181...]}. */
    @DataBoundSetter
    public void setZooKeeperConnectString(String zooKeeperConnectString) {
        this.zooKeeperConnectString = clean(zooKeeperConnectString);
        save();
    }

    public String getZooKeeperCredentialsId() {
        return zooKeeperCredentialsId;
    }

    /** Username with password for ZooKeeper's digest ACLs. */
    @DataBoundSetter
    public void setZooKeeperCredentialsId(String zooKeeperCredentialsId) {
        this.zooKeeperCredentialsId = clean(zooKeeperCredentialsId);
        save();
    }

    public String getDefaultRepoUrl() {
        return defaultRepoUrl;
    }

    /** The repository a step builds from when it names none. */
    @DataBoundSetter
    public void setDefaultRepoUrl(String defaultRepoUrl) {
        this.defaultRepoUrl = clean(defaultRepoUrl);
        save();
    }

    public String getAdditionalYaml() {
        return additionalYaml;
    }

    /** Further configuration sections in YAML (regions, queue, ...), merged over the file. */
    @DataBoundSetter
    public void setAdditionalYaml(String additionalYaml) {
        // not stripped: the first line's indentation is part of the YAML
        this.additionalYaml = additionalYaml == null || additionalYaml.isBlank() ? null : additionalYaml;
        save();
    }

    private static String clean(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
