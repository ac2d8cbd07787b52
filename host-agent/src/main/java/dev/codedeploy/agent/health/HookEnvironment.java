package dev.codedeploy.agent.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The environment hooks and health-check commands start from: a few variables of the agent's environment by name
 * ({@link #BASE} and the agent file's {@code hookEnvironment}), never the whole of it, which holds the agent's
 * ZooKeeper passwords and blob store keys.
 */
public final class HookEnvironment {

    /** Passed through when the agent has them: what a program needs to find its tools and speak the host's language. */
    public static final Set<String> BASE = Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR",
            "JAVA_HOME");

    private final Set<String> names;

    /** The base variables and {@code extra} ones (names from the agent's {@code hookEnvironment}). */
    public HookEnvironment(List<String> extra) {
        Set<String> all = new TreeSet<>(BASE);
        if (extra != null) {
            all.addAll(extra);
        }
        this.names = Set.copyOf(all);
    }

    /** The allowed variables of {@code agentEnvironment} (the agent's own, in production). */
    public Map<String, String> from(Map<String, String> agentEnvironment) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : new TreeSet<>(names)) {
            String value = agentEnvironment.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }

    /** The allowed variables of this process's environment. */
    public Map<String, String> fromProcess() {
        return from(System.getenv());
    }
}
