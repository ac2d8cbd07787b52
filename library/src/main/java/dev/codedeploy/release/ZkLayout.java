package dev.codedeploy.release;

import dev.codedeploy.InvalidInputException;
import java.util.regex.Pattern;

/**
 * The ZooKeeper paths, the same in the master and in every regional ensemble:
 *
 * <pre>
 * /codedeploy/&lt;env&gt;/release                         signed release record (control plane writes; region sync copies)
 * /codedeploy/&lt;env&gt;/lock                            deploy lock or freeze window (control plane)
 * /codedeploy/&lt;env&gt;/hosts/&lt;bucket&gt;/&lt;host&gt;          the host's enrolled node (persistent; the control plane creates it)
 * /codedeploy/&lt;env&gt;/hosts/&lt;bucket&gt;/&lt;host&gt;/status   ephemeral {@link HostStatus} (the host's agent)
 * /codedeploy/&lt;env&gt;/hosts/&lt;bucket&gt;/&lt;host&gt;/peer     ephemeral {@link PeerAddress}: where it seeds which builds
 * </pre>
 *
 * The bucket is {@link HostBuckets#of the host's}. The previous, flat layout ({@code hosts/<host>} and
 * {@code peers/<build>/<host>}, both ephemeral and created under a parent every agent may create in) is still read
 * during an upgrade: see the {@code legacy} paths.
 */
public final class ZkLayout {

    /** The root of everything codedeploy keeps in ZooKeeper. */
    public static final String ROOT = "/codedeploy";

    /** The name of a host's status node under its enrolled node. */
    public static final String STATUS = "status";
    /** The name of a host's peer node under its enrolled node. */
    public static final String PEER = "peer";

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

    /** {@code /codedeploy/<env>/hosts/<bucket>} of bucket {@code index}. */
    public static String bucket(String env, int index) {
        return hosts(env) + "/" + HostBuckets.name(index);
    }

    /** {@code /codedeploy/<env>/hosts/<bucket>/<host>}: the host's enrolled node, under which only it may create. */
    public static String host(String env, String host) {
        return bucket(env, HostBuckets.of(checkHost(host))) + "/" + host;
    }

    /** {@code /codedeploy/<env>/hosts/<bucket>/<host>/status}: the host's {@link HostStatus}. */
    public static String hostStatus(String env, String host) {
        return host(env, host) + "/" + STATUS;
    }

    /** {@code /codedeploy/<env>/hosts/<bucket>/<host>/peer}: the host's {@link PeerAddress}. */
    public static String hostPeer(String env, String host) {
        return host(env, host) + "/" + PEER;
    }

    /** {@code /codedeploy/<env>/hosts/<host>}: a host's status node in the previous, flat layout. */
    public static String legacyHost(String env, String host) {
        return hosts(env) + "/" + checkHost(host);
    }

    /** {@code /codedeploy/<env>/peers}: the previous layout's peers. */
    public static String peers(String env) {
        return environment(env) + "/peers";
    }

    /** {@code /codedeploy/<env>/peers/<build>}: the previous layout's peers of one build. */
    public static String legacyPeers(String env, long buildId) {
        return peers(env) + "/" + buildId;
    }

    /** {@code /codedeploy/<env>/peers/<build>/<host>}: a peer entry of the previous layout. */
    public static String legacyPeer(String env, long buildId, String host) {
        return legacyPeers(env, buildId) + "/" + checkHost(host);
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
