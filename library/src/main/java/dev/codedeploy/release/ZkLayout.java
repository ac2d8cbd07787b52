package dev.codedeploy.release;

import dev.codedeploy.InvalidInputException;
import java.util.regex.Pattern;

/**
 * The ZooKeeper paths, the same in the master and in every regional ensemble:
 *
 * <pre>
 * /codedeploy/&lt;env&gt;/release               signed release record (control plane writes; region sync copies)
 * /codedeploy/&lt;env&gt;/lock                  deploy lock or freeze window (control plane)
 * /codedeploy/&lt;env&gt;/hosts/&lt;host&gt;          ephemeral {@link HostStatus} (the host's agent)
 * /codedeploy/&lt;env&gt;/peers/&lt;build&gt;/&lt;host&gt;  ephemeral {@link PeerAddress} (the host's agent, while it seeds)
 * </pre>
 */
public final class ZkLayout {

    /** The root of everything codedeploy keeps in ZooKeeper. */
    public static final String ROOT = "/codedeploy";

    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    private ZkLayout() {
    }

    /** {@code /codedeploy/<env>}. */
    public static String environment(String env) {
        return ROOT + "/" + checkEnvironment(env);
    }

    /** {@code /codedeploy/<env>/release}. */
    public static String release(String env) {
        return environment(env) + "/release";
    }

    /** {@code /codedeploy/<env>/lock}. */
    public static String lock(String env) {
        return environment(env) + "/lock";
    }

    /** {@code /codedeploy/<env>/hosts}. */
    public static String hosts(String env) {
        return environment(env) + "/hosts";
    }

    /** {@code /codedeploy/<env>/hosts/<host>}. */
    public static String host(String env, String host) {
        return hosts(env) + "/" + checkHost(host);
    }

    /** {@code /codedeploy/<env>/peers}. */
    public static String peers(String env) {
        return environment(env) + "/peers";
    }

    /** {@code /codedeploy/<env>/peers/<build>}. */
    public static String peers(String env, long buildId) {
        return peers(env) + "/" + buildId;
    }

    /** {@code /codedeploy/<env>/peers/<build>/<host>}. */
    public static String peer(String env, long buildId, String host) {
        return peers(env, buildId) + "/" + checkHost(host);
    }

    /**
     * Checks an environment name: lowercase letters, digits and '-', 1 to 63 characters.
     *
     * @throws InvalidInputException naming the value and the rule
     */
    public static String checkEnvironment(String env) {
        if (env == null || !ENVIRONMENT.matcher(env).matches()) {
            throw new InvalidInputException("environment '" + env + "' is not valid: 1 to 63 of a-z, 0-9 and '-', starting with a letter or digit");
        }
        return env;
    }

    /**
     * Checks a host id: letters, digits, '.', '_' and '-', 1 to 253 characters.
     *
     * @throws InvalidInputException naming the value and the rule
     */
    public static String checkHost(String host) {
        if (host == null || !HOST.matcher(host).matches()) {
            throw new InvalidInputException("host id '" + host + "' is not valid: 1 to 253 of A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        return host;
    }
}
