package dev.codedeploy.agent;

import dev.codedeploy.agent.install.InstallConfig;
import dev.codedeploy.agent.p2p.PeerNetworkConfig;
import dev.codedeploy.agent.report.AgentMetricsConfig;
import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.release.ReleaseKeyring;
import dev.codedeploy.release.ReleaseWatcher;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The agent's configuration file (YAML, {@code ${ENV}} substituted, unknown fields refused):
 *
 * <pre>
 * hostId: web-17                    # default: the host name
 * environment: production
 * region: eu-west
 * zone: eu-west-1a                  # optional: peers of the same zone are preferred
 * rack: r12                         # optional: reported to peers with the zone
 * dataDir: /var/lib/codedeploy
 * releasePublicKeys: {control-2026: MCowBQYDK2VwAyEA...}   # the control plane's Ed25519 keys by key id (base64)
 * zooKeeper: {connectString: zk1:2181}   # the regional ensemble (user/password: only during an upgrade, see below)
 * hostPassword: ${ZK_HOST_PASSWORD}  # this host's own digest (user = hostId), from `codedeploy hosts enroll`
 * blobStore: {endpoint: https://s3.eu-west-1.amazonaws.com, bucket: builds-eu-west}  # the regional store
 * distribution: p2p                 # p2p (default) or blob (every host downloads from the blob store)
 * bt: {port: 6891, peerDiscoveryInterval: 5s, seedAfter: 10m}
 * install: {keepReleases: 3, reserveMb: 512}
 * retryInterval: 30s                # pause before a failed download is tried again
 * progressInterval: 30s             # progress is written at most this often (jittered), and only after 10 % more
 * maxReleaseAge: 1d                 # a host without state takes only a record signed this recently
 * hookEnvironment: [HTTP_PROXY]     # agent variables hooks and health checks get, besides PATH, HOME, LANG and a few
 * metrics: {host: 10.1.2.3, port: 9465}   # Prometheus at http://host:port/metrics; none without the section
 * </pre>
 *
 * A {@code zooKeeper.user} is the shared identity of the previous, flat layout: while the control plane still lets it
 * create there (an upgrade), an agent that has one also publishes its peer entries there, so that agents of the
 * previous version find it. Without any credentials the agent runs in an open region (development) and makes its
 * enrolled node itself.
 *
 * @param hostId           this host's id in ZooKeeper
 * @param environment      the environment whose release it follows
 * @param region           its region
 * @param dataDir          the folder of releases, downloads and state
 * @param releasePublicKey base64 Ed25519 public key that verifies release records of any key id (or use
 *                         {@code releasePublicKeys})
 * @param zooKeeper        the regional ZooKeeper (a user there: the previous layout's shared identity, during an upgrade)
 * @param hostPassword     the password of this host's own ZooKeeper digest identity (user = host id), as enrollment
 *                         derives it; required unless the region is open
 * @param blobStore        the regional blob store
 * @param distribution     how artifacts reach the host
 * @param bt               BitTorrent settings
 * @param install          disk settings
 * @param retryInterval    pause before a failed download is tried again
 * @param progressInterval the least time between two progress writes (jittered up to half again; default 30 s)
 * @param zone             the host's zone, or null: peers of the same zone are preferred
 * @param rack             the host's rack, or null: reported to peers
 * @param releasePublicKeys the control plane's public keys by key id (base64), for rotation; instead of
 *                          {@code releasePublicKey}
 * @param maxReleaseAge    how long ago a record may have been signed for a host that has acted on none (default 1 day)
 * @param hookEnvironment  names of agent environment variables passed to hooks and health checks besides
 *                         {@link dev.codedeploy.agent.health.HookEnvironment#BASE}
 * @param metrics          where to serve Prometheus metrics, or null for none
 */
public record AgentConfig(String hostId, String environment, String region, String dataDir, String releasePublicKey,
                          ZooKeeperConfig zooKeeper, String hostPassword, BlobStoreConfig blobStore, Distribution distribution,
                          PeerNetworkConfig bt, InstallConfig install, Duration retryInterval, Duration progressInterval,
                          String zone, String rack, Map<String, String> releasePublicKeys, Duration maxReleaseAge,
                          List<String> hookEnvironment, AgentMetricsConfig metrics) {

    private static final Pattern PLACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** How the artifact reaches the host. */
    public enum Distribution {
        /** From peers with BitTorrent, first seeded by the regional seeder. */
        P2P,
        /** Straight from the regional blob store (the client-server baseline, or a fallback). */
        BLOB;

        /** Reads {@code p2p} or {@code blob} in any case. */
        @com.fasterxml.jackson.annotation.JsonCreator
        public static Distribution of(String text) {
            for (Distribution d : values()) {
                if (d.name().equalsIgnoreCase(text)) {
                    return d;
                }
            }
            throw new ConfigException("distribution '" + text + "' is not known: p2p or blob");
        }
    }

    public AgentConfig {
        hostId = hostId == null || hostId.isBlank() ? localHostName() : hostId;
        ZkLayout.checkHost(hostId);
        ZkLayout.checkEnvironment(environment);
        if (region == null || !region.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new ConfigException("region '" + region + "' is not valid: 1 to 63 of a-z, 0-9 and '-'");
        }
        if (dataDir == null || dataDir.isBlank()) {
            throw new ConfigException("dataDir is required: the folder of releases, downloads and state");
        }
        releasePublicKeys = releasePublicKeys == null ? Map.of() : Map.copyOf(releasePublicKeys);
        if ((releasePublicKey == null || releasePublicKey.isBlank()) && releasePublicKeys.isEmpty()) {
            throw new ConfigException("releasePublicKeys is required: the control plane's Ed25519 public keys by key id, base64"
                    + " (or releasePublicKey: one key for every key id)");
        }
        ReleaseKeyring.parse(releasePublicKey, releasePublicKeys, "releasePublicKey or releasePublicKeys");
        if (zooKeeper == null) {
            throw new ConfigException("zooKeeper is required: the regional ensemble (connectString, optional user and password)");
        }
        if (blobStore == null) {
            throw new ConfigException("blobStore is required: the regional blob store holding the builds");
        }
        distribution = distribution == null ? Distribution.P2P : distribution;
        bt = bt == null ? PeerNetworkConfig.defaults() : bt;
        install = install == null ? InstallConfig.defaults() : install;
        retryInterval = retryInterval == null ? Duration.ofSeconds(30) : retryInterval;
        progressInterval = progressInterval == null ? Duration.ofSeconds(30) : progressInterval;
        if (zooKeeper.user() != null && (hostPassword == null || hostPassword.isEmpty())) {
            throw new ConfigException("hostPassword is required: a host writes its status only under the node its enrollment made,"
                    + " as its own identity; run `codedeploy hosts enroll " + hostId + " --region " + region + " --show-password`"
                    + " and put the password here (zooKeeper.user alone is the previous layout's shared identity)");
        }
        for (String[] place : new String[][] {{"zone", zone}, {"rack", rack}}) {
            if (place[1] != null && !PLACE.matcher(place[1]).matches()) {
                throw new ConfigException(place[0] + " '" + place[1] + "' is not valid: 1 to 63 of A-Z, a-z, 0-9, '.', '_' and '-'");
            }
        }
        maxReleaseAge = maxReleaseAge == null ? ReleaseWatcher.DEFAULT_MAX_AGE : maxReleaseAge;
        if (maxReleaseAge.isNegative() || maxReleaseAge.isZero()) {
            throw new ConfigException("maxReleaseAge must be positive, got " + maxReleaseAge);
        }
        hookEnvironment = hookEnvironment == null ? List.of() : List.copyOf(hookEnvironment);
        for (String name : hookEnvironment) {
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ConfigException("hookEnvironment: '" + name + "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
            }
        }
    }

    /** A configuration without a metrics endpoint. */
    public AgentConfig(String hostId, String environment, String region, String dataDir, String releasePublicKey,
                       ZooKeeperConfig zooKeeper, String hostPassword, BlobStoreConfig blobStore, Distribution distribution,
                       PeerNetworkConfig bt, InstallConfig install, Duration retryInterval, Duration progressInterval,
                       String zone, String rack, Map<String, String> releasePublicKeys, Duration maxReleaseAge,
                       List<String> hookEnvironment) {
        this(hostId, environment, region, dataDir, releasePublicKey, zooKeeper, hostPassword, blobStore, distribution, bt, install,
                retryInterval, progressInterval, zone, rack, releasePublicKeys, maxReleaseAge, hookEnvironment, null);
    }

    /** A configuration without zone and rack, with one release key for every key id, the default age and no extra hook variables. */
    public AgentConfig(String hostId, String environment, String region, String dataDir, String releasePublicKey,
                       ZooKeeperConfig zooKeeper, String hostPassword, BlobStoreConfig blobStore, Distribution distribution,
                       PeerNetworkConfig bt, InstallConfig install, Duration retryInterval, Duration progressInterval) {
        this(hostId, environment, region, dataDir, releasePublicKey, zooKeeper, hostPassword, blobStore, distribution, bt, install,
                retryInterval, progressInterval, null, null, null, null, null, null);
    }

    /** A configuration with a zone and rack, one release key for every key id, the default age and no extra hook variables. */
    public AgentConfig(String hostId, String environment, String region, String dataDir, String releasePublicKey,
                       ZooKeeperConfig zooKeeper, String hostPassword, BlobStoreConfig blobStore, Distribution distribution,
                       PeerNetworkConfig bt, InstallConfig install, Duration retryInterval, Duration progressInterval,
                       String zone, String rack) {
        this(hostId, environment, region, dataDir, releasePublicKey, zooKeeper, hostPassword, blobStore, distribution, bt, install,
                retryInterval, progressInterval, zone, rack, null, null, null, null);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new ConfigException("hostId is not set and the host name cannot be read: " + e.getMessage());
        }
    }

    /** Reads and checks a configuration file. */
    public static AgentConfig load(Path file) {
        try {
            return ConfigLoader.parse(Files.readString(file), file.toString(), AgentConfig.class);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage());
        }
    }

    /** The data folder. */
    public Path dataPath() {
        return Path.of(dataDir);
    }

    /** This host's own ZooKeeper identity, or null. */
    public ZooKeeperClients.Credentials hostCredentials() {
        return hostPassword == null || hostPassword.isEmpty() ? null : new ZooKeeperClients.Credentials(hostId, hostPassword);
    }

    /** The keys release records are verified with. */
    public ReleaseKeyring keyring() {
        return ReleaseKeyring.parse(releasePublicKey, releasePublicKeys, "releasePublicKey or releasePublicKeys");
    }

    /** The same configuration with command-line overrides applied (null leaves a field). */
    public AgentConfig withOverrides(String newHostId, Path newDataDir, String btAddress, Integer btPort) {
        return new AgentConfig(newHostId == null ? hostId : newHostId, environment, region,
                newDataDir == null ? dataDir : newDataDir.toString(), releasePublicKey, zooKeeper, hostPassword, blobStore, distribution,
                bt.withListen(btAddress, btPort), install, retryInterval, progressInterval, zone, rack,
                releasePublicKeys, maxReleaseAge, hookEnvironment, metrics);
    }

    @Override
    public String toString() {
        return "AgentConfig[host=" + hostId + ", environment=" + environment + ", region=" + region + ", dataDir=" + dataDir
                + ", zone=" + zone + ", rack=" + rack + ", zooKeeper=" + zooKeeper + ", ownIdentity=" + (hostPassword != null)
                + ", blobStore=" + blobStore + ", distribution=" + distribution
                + (metrics == null ? "" : ", metrics=" + metrics.host() + ":" + metrics.port()) + "]";
    }
}
