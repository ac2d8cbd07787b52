package dev.codedeploy.jenkins;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.model.Run;

/**
 * The credentials a build may use, for the id a step names itself: the lookup runs as the build, so folder
 * credentials and credential permissions apply, and system-scoped credentials stay invisible.
 */
final class RunCredentials extends JenkinsCredentials {

    private final Run<?, ?> run;

    RunCredentials(Run<?, ?> run) {
        this.run = run;
    }

    @Override
    <C extends IdCredentials> C lookup(String id, Class<C> type) {
        return CredentialsProvider.findCredentialById(id, type, run, ANY_DOMAIN);
    }

    @Override
    String where() {
        return "that this build may use";
    }
}
