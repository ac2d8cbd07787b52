package dev.codedeploy.jenkins;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.AbortException;
import java.util.Collections;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Credentials from the credentials plugin, by id: "Username with password" first, then "Secret text" (the secret
 * alone, the user staying as configured). Where they are looked up, and as whom, is the subclass's: {@link
 * SystemCredentials} for the global configuration, {@link RunCredentials} for a step's own id. The types asked for
 * are here only, so that the step can move to another kind of credential (a token) in one place.
 */
abstract class JenkinsCredentials implements CredentialSource {

    /** No domain requirement: a credential of any domain matches. */
    static final List<DomainRequirement> ANY_DOMAIN = Collections.emptyList();

    /** The credential with this id and type, or null when there is none that this lookup may use. */
    abstract <C extends IdCredentials> C lookup(String id, Class<C> type);

    /** Where an administrator puts the credential, for the error. */
    abstract String where();

    @Override
    public final Credential find(String id, String purpose) throws AbortException {
        StandardUsernamePasswordCredentials userPassword = lookup(id, StandardUsernamePasswordCredentials.class);
        if (userPassword != null) {
            return new Credential(userPassword.getUsername(), userPassword.getPassword().getPlainText());
        }
        StringCredentials text = lookup(id, StringCredentials.class);
        if (text != null) {
            return new Credential(null, text.getSecret().getPlainText());
        }
        throw new AbortException("codeDeploy: no credentials with id '" + id + "' (" + purpose + ") " + where()
                + "; add 'Username with password' or 'Secret text' credentials with this id");
    }
}
