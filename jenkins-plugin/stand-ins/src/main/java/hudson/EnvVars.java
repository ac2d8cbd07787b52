package hudson;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stand-in of jenkins-core's {@code hudson.EnvVars}: the environment variables of a run. As in Jenkins, names are
 * case-insensitive ({@code get("git_url")} finds {@code GIT_URL}), the way Windows treats them.
 */
public class EnvVars extends TreeMap<String, String> {

    private static final long serialVersionUID = 1L;

    public EnvVars() {
        super(String.CASE_INSENSITIVE_ORDER);
    }

    /** A copy of {@code m}. */
    public EnvVars(@NonNull Map<String, String> m) {
        this();
        putAll(m);
    }
}
