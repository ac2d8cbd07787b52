package dev.codedeploy.rollout;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.release.ReleaseKeyring;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code rollout:} section: how releases are signed, who may write what in ZooKeeper, and how each environment
 * rolls out.
 *
 * <pre>
 * rollout:
 *   signingKey: ${CODEDEPLOY_SIGNING_KEY}   # base64 PKCS#8 Ed25519 private key of the control plane
 *   publicKey: MCowBQYDK2VwAyEA...          # its base64 X.509 public key (what agents are given)
 *   keyId: control-2026
 *   hostSecret: ${CODEDEPLOY_HOST_SECRET}    # hosts' passwords are derived from it at enrollment
 *   agentUser: agent                        # only during an upgrade from the flat layout: the agents' shared identity
 *   publicKeys: {control-2025: MCowBQYDK2VwAyEA...}   # other keys still accepted (rotation)
 *   refreshInterval: 1h                     # the current record is signed again this often
 *   agentPassword: ${CODEDEPLOY_AGENT_PASSWORD}
 *   pollInterval: 30s                       # region sync's safety-net poll of the master
 *   checkInterval: 2s                       # how often the rollout driver looks at the hosts
 *   environments:
 *     production: {waves: [1, 10, 50, 100], bakeTime: 5m, maxUnavailable: 25}
 * </pre>
 *
 * @param signingKey    base64 PKCS#8 Ed25519 private key; without it this process cannot publish
 * @param publicKey     base64 X.509 Ed25519 public key that verifies the records (region sync, driver, agents)
 * @param keyId         names the key in each record, for rotation (default {@code control})
 * @param agentUser     digest user that agents of the previous, flat layout share: while it is set, it may still
 *                      create under {@code hosts}, {@code peers} and {@code peers/<build>} (a rolling upgrade); remove
 *                      it once every agent is upgraded, and region sync takes that permission away
 * @param agentPassword its password
 * @param pollInterval  region sync reads the master this often even when no watch fired (default 30 s)
 * @param checkInterval the rollout driver's period (default 2 s)
 * @param environments  per-environment policies; an environment not listed uses {@link RolloutPolicy#DEFAULTS}
 * @param publicKeys    more public keys by key id that records may be signed with (a key being rotated in or out);
 *                      {@code publicKey} is always accepted under {@code keyId}
 * @param refreshInterval the control plane signs each environment's current record again this often (default 1 h),
 *                      so that a host without state can tell the current record from an old one replayed
 * @param hostSecret    the secret every host's ZooKeeper password is derived from ({@link HostEnrollment}); needed
 *                      where hosts are enrolled ({@code codedeploy hosts enroll}), nowhere else
 */
public record RolloutConfig(String signingKey, String publicKey, String keyId, String agentUser, String agentPassword,
                            Duration pollInterval, Duration checkInterval, Map<String, RolloutPolicy> environments,
                            Map<String, String> publicKeys, Duration refreshInterval, String hostSecret) {

    /** The default refresh: hourly, well inside the day a fresh host accepts by default. */
    public static final Duration DEFAULT_REFRESH = Duration.ofHours(1);

    /** No keys, default timings, default policy everywhere. */
    public static final RolloutConfig DEFAULTS = new RolloutConfig(null, null, null, null, null, null, null, null, null, null, null);

    public RolloutConfig {
        keyId = keyId == null || keyId.isBlank() ? "control" : keyId;
        pollInterval = pollInterval == null ? Duration.ofSeconds(30) : pollInterval;
        checkInterval = checkInterval == null ? Duration.ofSeconds(2) : checkInterval;
        if (pollInterval.isNegative() || pollInterval.isZero() || checkInterval.isNegative() || checkInterval.isZero()) {
            throw new ConfigException("rollout.pollInterval and rollout.checkInterval must be positive");
        }
        environments = environments == null ? Map.of() : Map.copyOf(new TreeMap<>(environments));
        for (Map.Entry<String, RolloutPolicy> e : environments.entrySet()) {
            try {
                ZkLayout.checkEnvironment(e.getKey());
            } catch (InvalidInputException bad) {
                throw new ConfigException("rollout.environments: " + bad.getMessage());
            }
            if (e.getValue() == null) {
                throw new ConfigException("rollout.environments." + e.getKey() + " is empty: give at least one setting or remove it");
            }
        }
        if (signingKey != null) {
            parse(() -> ReleaseKeys.privateKey(signingKey), "rollout.signingKey");
        }
        if (publicKey != null) {
            parse(() -> ReleaseKeys.publicKey(publicKey), "rollout.publicKey");
        }
        publicKeys = publicKeys == null ? Map.of() : Map.copyOf(new TreeMap<>(publicKeys));
        if (!publicKeys.isEmpty()) {
            Map<String, String> keys = publicKeys;
            parse(() -> ReleaseKeyring.parse(null, keys, "rollout.publicKeys"), "rollout.publicKeys");
        }
        refreshInterval = refreshInterval == null ? DEFAULT_REFRESH : refreshInterval;
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new ConfigException("rollout.refreshInterval must be positive");
        }
        if (agentUser != null) {
            parse(() -> new Credentials(agentUser, agentPassword), "rollout.agentUser");
        }
        if (hostSecret != null) {
            HostEnrollment.checkSecret(hostSecret);
        }
    }

    /** Settings without other public keys and with the default refresh interval. */
    public RolloutConfig(String signingKey, String publicKey, String keyId, String agentUser, String agentPassword,
                         Duration pollInterval, Duration checkInterval, Map<String, RolloutPolicy> environments) {
        this(signingKey, publicKey, keyId, agentUser, agentPassword, pollInterval, checkInterval, environments, null, null, null);
    }

    /** Settings with an enrollment secret, without other public keys and with the default refresh interval. */
    public RolloutConfig(String signingKey, String publicKey, String keyId, String agentUser, String agentPassword,
                         Duration pollInterval, Duration checkInterval, Map<String, RolloutPolicy> environments, String hostSecret) {
        this(signingKey, publicKey, keyId, agentUser, agentPassword, pollInterval, checkInterval, environments, null, null, hostSecret);
    }

    /** Settings without an enrollment secret. */
    public RolloutConfig(String signingKey, String publicKey, String keyId, String agentUser, String agentPassword,
                         Duration pollInterval, Duration checkInterval, Map<String, RolloutPolicy> environments,
                         Map<String, String> publicKeys, Duration refreshInterval) {
        this(signingKey, publicKey, keyId, agentUser, agentPassword, pollInterval, checkInterval, environments, publicKeys,
                refreshInterval, null);
    }

    /** The policy of {@code environment}. */
    public RolloutPolicy policy(String environment) {
        return environments.getOrDefault(environment, RolloutPolicy.DEFAULTS);
    }

    /** The private key, or null when none is configured. */
    public PrivateKey privateKey() {
        return signingKey == null ? null : ReleaseKeys.privateKey(signingKey);
    }

    /**
     * The public key.
     *
     * @throws ConfigException when none is configured
     */
    public PublicKey verifyKey() {
        if (publicKey == null) {
            throw new ConfigException("rollout.publicKey is not configured: region sync and the driver verify every release with it");
        }
        return ReleaseKeys.publicKey(publicKey);
    }

    /**
     * The keys records are verified with: {@code publicKeys} and {@code publicKey} under {@code keyId}.
     *
     * @throws ConfigException when no public key is configured
     */
    public ReleaseKeyring keyring() {
        ReleaseKeyring keys = publicKeys.isEmpty() ? null : ReleaseKeyring.parse(null, publicKeys, "rollout.publicKeys");
        if (publicKey != null) {
            keys = keys == null ? ReleaseKeyring.of(Map.of(keyId, verifyKey())) : keys.with(keyId, verifyKey());
        }
        if (keys == null) {
            throw new ConfigException("rollout.publicKey is not configured: region sync and the driver verify every release with it");
        }
        return keys;
    }

    /** A copy with the rollout policies and timings of this one and another refresh interval. */
    public RolloutConfig withRefreshInterval(Duration interval) {
        return new RolloutConfig(signingKey, publicKey, keyId, agentUser, agentPassword, pollInterval, checkInterval, environments,
                publicKeys, interval, hostSecret);
    }

    /** The shared identity of agents of the previous layout, or null once none is left. */
    public Credentials agents() {
        return agentUser == null ? null : new Credentials(agentUser, agentPassword);
    }

    private static void parse(Runnable check, String field) {
        try {
            check.run();
        } catch (RuntimeException e) {
            throw new ConfigException(field + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "RolloutConfig[keyId=" + keyId + ", publicKeys=" + publicKeys.keySet() + ", refreshInterval=" + refreshInterval
                + ", agentUser=" + agentUser + ", hostSecret=" + (hostSecret == null ? "none" : "set")
                + ", pollInterval=" + pollInterval
                + ", checkInterval=" + checkInterval + ", environments=" + environments.keySet() + "]";
    }
}
