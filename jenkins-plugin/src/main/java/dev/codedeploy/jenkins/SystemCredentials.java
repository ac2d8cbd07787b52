package dev.codedeploy.jenkins;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.security.ACL;

/**
 * The credentials of the global configuration: looked up as the system in Jenkins itself, like any global setting
 * of a plugin, so that administrators can keep them in the System scope, where no job can see or use them. The
 * build that runs the step plays no part: a job cannot reach these secrets through the step's own
 * {@code credentialsId}, which {@link RunCredentials} resolves as the build.
 */
final class SystemCredentials extends JenkinsCredentials {

    @Override
    <C extends IdCredentials> C lookup(String id, Class<C> type) {
        // a null item group is Jenkins itself
        return CredentialsProvider.findCredentialByIdInItemGroup(id, type, null, ACL.SYSTEM2, ANY_DOMAIN);
    }

    @Override
    String where() {
        return "in Jenkins' own credentials (Manage Jenkins › Credentials › System, System or Global scope)";
    }
}
