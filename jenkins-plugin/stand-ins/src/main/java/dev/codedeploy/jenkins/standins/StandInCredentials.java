package dev.codedeploy.jenkins.standins;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.security.ACL;
import hudson.util.Secret;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.springframework.security.core.Authentication;

/**
 * Not a Jenkins type: the credentials store of the stand-ins, filled by tests (in Jenkins, the credentials plugin's
 * stores), with the real visibility rules of the root store: a build sees the {@link CredentialsScope#GLOBAL}
 * credentials; the system ({@link ACL#SYSTEM2}) sees the {@link CredentialsScope#SYSTEM} ones too. Plugin sources
 * never use this package; the offline build checks that.
 */
public final class StandInCredentials {

    private static final Map<String, IdCredentials> STORE = new ConcurrentHashMap<>();

    private StandInCredentials() {
    }

    /** Adds (or replaces) a credential. */
    public static void add(IdCredentials credentials) {
        STORE.put(credentials.getId(), credentials);
    }

    /** Removes every credential. */
    public static void clear() {
        STORE.clear();
    }

    /** The credential with {@code id} if it has {@code type} and a build may use it, else null (as the real lookup). */
    public static <C extends IdCredentials> C findForBuild(String id, Class<C> type) {
        IdCredentials found = STORE.get(id);
        return type.isInstance(found) && found.getScope() == CredentialsScope.GLOBAL ? type.cast(found) : null;
    }

    /**
     * The credential with {@code id} if it has {@code type} and {@code authentication} (null: the system) may use it in
     * Jenkins itself, else null.
     */
    public static <C extends IdCredentials> C findInJenkins(String id, Class<C> type, Authentication authentication) {
        IdCredentials found = STORE.get(id);
        if (!type.isInstance(found)) {
            return null;
        }
        boolean system = authentication == null || authentication == ACL.SYSTEM2;
        return found.getScope() == CredentialsScope.GLOBAL || (system && found.getScope() == CredentialsScope.SYSTEM)
                ? type.cast(found) : null;
    }

    /** A "Username with password" credential. */
    public static StandardUsernamePasswordCredentials usernamePassword(CredentialsScope scope, String id, String username, String password) {
        return new UsernamePassword(scope, id, username, Secret.fromString(password));
    }

    /** A "Secret text" credential. */
    public static StringCredentials secretText(CredentialsScope scope, String id, String secret) {
        return new SecretText(scope, id, Secret.fromString(secret));
    }

    private record UsernamePassword(CredentialsScope getScope, String getId, String getUsername, Secret getPassword)
            implements StandardUsernamePasswordCredentials {
        @Override
        public String getDescription() {
            return "";
        }
    }

    private record SecretText(CredentialsScope getScope, String getId, Secret getSecret) implements StringCredentials {
        @Override
        public String getDescription() {
            return "";
        }
    }
}
