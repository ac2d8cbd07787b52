package dev.codedeploy.config;

import dev.codedeploy.api.ApiConfig;
import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.build.BuildConfig;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.deploys.DeploysConfig;
import dev.codedeploy.monitor.MonitorConfig;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.replication.ReplicationConfig;
import dev.codedeploy.rollout.RolloutConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The whole configuration of a codedeploy process, read from one YAML file by {@link ConfigLoader}. Each section is
 * owned by the package that uses it.
 *
 * @param database  the jobs database
 * @param blobStore the master blob store
 * @param queue     queue settings
 * @param build     builder workers (0 workers: this process builds nothing)
 * @param monitor   heartbeat monitor
 * @param zooKeeper the master ZooKeeper ensemble (null where no rollout runs)
 * @param regions   the regions, each with its blob store and ZooKeeper
 * @param rollout   release signing, agent identity and each environment's rollout policy
 * @param replication the replicator, the deploy gate and retention
 * @param defaults    the environment and repository a deploy uses when its caller names none
 * @param deploys     the deploy conductor of {@code codedeploy server}
 * @param api         the HTTP API of {@code codedeploy server}: address, TLS, tokens
 */
public record CodeDeployConfig(DatabaseConfig database, BlobStoreConfig blobStore, QueueConfig queue, BuildConfig build,
                               MonitorConfig monitor, ZooKeeperConfig zooKeeper, List<RegionConfig> regions,
                               RolloutConfig rollout, ReplicationConfig replication, DefaultsConfig defaults,
                               DeploysConfig deploys, ApiConfig api) {

    public CodeDeployConfig {
        if (database == null) {
            throw new ConfigException("section 'database' is missing: it needs url, user and password");
        }
        if (blobStore == null) {
            throw new ConfigException("section 'blobStore' is missing: it needs endpoint, bucket and keys of the master store");
        }
        queue = queue == null ? QueueConfig.DEFAULTS : queue;
        monitor = monitor == null ? MonitorConfig.defaults() : monitor;
        regions = regions == null ? List.of() : List.copyOf(regions);
        rollout = rollout == null ? RolloutConfig.DEFAULTS : rollout;
        defaults = defaults == null ? DefaultsConfig.NONE : defaults;
        replication = replication == null ? ReplicationConfig.defaults() : replication;
        deploys = deploys == null ? DeploysConfig.DEFAULTS : deploys;
        api = api == null ? ApiConfig.DEFAULTS : api;
        Set<String> names = new HashSet<>();
        for (RegionConfig region : regions) {
            if (!names.add(region.name())) {
                throw new ConfigException("region '" + region.name() + "' is configured twice");
            }
        }
    }

    /** The environments a deploy may name: those of {@code rollout.environments} and the default one. */
    public java.util.Set<String> environments() {
        java.util.Set<String> names = new java.util.TreeSet<>(rollout.environments().keySet());
        names.add(defaults.environment());
        return names;
    }

    /**
     * Every secret value of this configuration: the database password, every blob store's secret key, every ZooKeeper
     * password, the release signing key, the agents' password and the API's key store password. (Access key ids are
     * identifiers, not secrets: masking them, often a common word, would garble every line.) For whoever prints anything
     * derived from the configuration (the GitHub Action masks each one).
     */
    public List<String> secrets() {
        List<String> values = new ArrayList<>();
        values.add(database.password());
        addStore(values, blobStore);
        addZooKeeper(values, zooKeeper);
        for (RegionConfig region : regions) {
            addStore(values, region.blobStore());
            addZooKeeper(values, region.zooKeeper());
        }
        values.add(rollout.signingKey());
        values.add(rollout.agentPassword());
        if (api.tls() != null) {
            values.add(api.tls().password());
        }
        return values.stream().filter(Objects::nonNull).filter(v -> !v.isBlank()).distinct().toList();
    }

    private static void addStore(List<String> values, BlobStoreConfig store) {
        if (store != null) {
            values.add(store.secretKey());
        }
    }

    private static void addZooKeeper(List<String> values, ZooKeeperConfig zooKeeper) {
        if (zooKeeper != null) {
            values.add(zooKeeper.password());
        }
    }
}
