package dev.codedeploy.config;

import dev.codedeploy.blob.BlobStoreConfig;

/**
 * One region: its blob store and its ZooKeeper ensemble.
 *
 * @param name      the region's name, for example {@code eu-west}
 * @param blobStore the regional blob store
 * @param zooKeeper the regional ZooKeeper ensemble (null where no rollout runs, for example replication-only tests)
 */
public record RegionConfig(String name, BlobStoreConfig blobStore, ZooKeeperConfig zooKeeper) {

    public RegionConfig {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new ConfigException("region name '" + name + "' is not valid: 1 to 63 of a-z, 0-9 and '-'");
        }
        if (blobStore == null) {
            throw new ConfigException("region '" + name + "' has no blobStore");
        }
    }
}
