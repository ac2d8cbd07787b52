package dev.codedeploy.jenkins;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.AbortException;
import hudson.model.Run;
import java.util.Collections;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The credentials a build may use: "Username with password" first, then "Secret text" (the secret alone, the user
 * staying as configured). The lookup runs as the build, so folder credentials and credential permissions apply.
 */
final class RunCredentials implements CredentialSource {

    private static final List<DomainRequirement> ANY_DOMAIN = Collections.emptyList();

    private final Run<?, ?> run;

    RunCredentials(Run<?, ?> run) {
        this.run = run;
    }

    @Override
    public Credential find(String id, String purpose) throws AbortException {
        StandardUsernamePasswordCredentials userPassword =
                CredentialsProvider.findCredentialById(id, StandardUsernamePasswordCredentials.class, run, ANY_DOMAIN);
        if (userPassword != null) {
            return new Credential(userPassword.getUsername(), userPassword.getPassword().getPlainText());
        }
        StringCredentials text = CredentialsProvider.findCredentialById(id, StringCredentials.class, run, ANY_DOMAIN);
        if (text != null) {
            return new Credential(null, text.getSecret().getPlainText());
        }
        throw new AbortException("codeDeploy: no credentials with id '" + id + "' (" + purpose + ") that this build may use;"
                + " add 'Username with password' or 'Secret text' credentials with this id");
    }
}
