package dev.codedeploy.jenkins.standins;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.util.Secret;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Not a Jenkins type: the credentials store of the stand-ins, filled by tests (in Jenkins, the credentials plugin's
 * stores). Plugin sources never use this package; the offline build checks that.
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

    /** The credential with {@code id} if it has {@code type}, else null (as the real lookup). */
    public static <C extends IdCredentials> C find(String id, Class<C> type) {
        IdCredentials found = STORE.get(id);
        return type.isInstance(found) ? type.cast(found) : null;
    }

    /** A "Username with password" credential. */
    public static StandardUsernamePasswordCredentials usernamePassword(String id, String username, String password) {
        return new UsernamePassword(id, username, Secret.fromString(password));
    }

    /** A "Secret text" credential. */
    public static StringCredentials secretText(String id, String secret) {
        return new SecretText(id, Secret.fromString(secret));
    }

    private record UsernamePassword(String getId, String getUsername, Secret getPassword)
            implements StandardUsernamePasswordCredentials {
        @Override
        public String getDescription() {
            return "";
        }
    }

    private record SecretText(String getId, Secret getSecret) implements StringCredentials {
        @Override
        public String getDescription() {
            return "";
        }
    }
}
