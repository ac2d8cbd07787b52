package dev.codedeploy.jenkins;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.AbortException;
import java.util.Collections;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The codedeploy API token from the credentials plugin, by id: "Secret text" credentials. Where they are looked up,
 * and as whom, is the subclass's: {@link SystemCredentials} for the global configuration, {@link RunCredentials} for
 * a step's own id.
 */
abstract class JenkinsCredentials implements CredentialSource {

    /** No domain requirement: a credential of any domain matches. */
    static final List<DomainRequirement> ANY_DOMAIN = Collections.emptyList();

    /** The credential with this id and type, or null when there is none that this lookup may use. */
    abstract <C extends IdCredentials> C lookup(String id, Class<C> type);

    /** Where an administrator puts the credential, for the error. */
    abstract String where();

    @Override
    public final String token(String id, String purpose) throws AbortException {
        StringCredentials text = lookup(id, StringCredentials.class);
        if (text == null) {
            throw new AbortException("codeDeploy: no 'Secret text' credentials with id '" + id + "' (" + purpose + ") " + where()
                    + "; add 'Secret text' credentials with this id holding a token of the codedeploy server"
                    + " (codedeploy tokens create NAME --scope deploy)");
        }
        return text.getSecret().getPlainText().strip();
    }
}
