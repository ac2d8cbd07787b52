package hudson;

import java.util.Map;
import java.util.TreeMap;

/** Stand-in of jenkins-core's {@code hudson.EnvVars}: environment variables of a run. */
public class EnvVars extends TreeMap<String, String> {

    private static final long serialVersionUID = 1L;

    public EnvVars() {
    }

    /** A copy of {@code m}. */
    public EnvVars(Map<String, String> m) {
        super(m);
    }
}
