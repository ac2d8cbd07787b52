package dev.codedeploy.config;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.build.BuildConfig;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.monitor.MonitorConfig;
import dev.codedeploy.queue.QueueConfig;

/**
 * The whole configuration of a codedeploy process, read from one YAML file by {@link ConfigLoader}. Each section is
 * owned by the package that uses it.
 *
 * @param database  the jobs database
 * @param blobStore the master blob store
 * @param queue     queue settings
 * @param build     builder workers (0 workers: this process builds nothing)
 * @param monitor   heartbeat monitor
 */
public record CodeDeployConfig(DatabaseConfig database, BlobStoreConfig blobStore, QueueConfig queue, BuildConfig build,
                               MonitorConfig monitor) {

    public CodeDeployConfig {
        if (database == null) {
            throw new ConfigException("section 'database' is missing: it needs url, user and password");
        }
        if (blobStore == null) {
            throw new ConfigException("section 'blobStore' is missing: it needs endpoint, bucket and keys of the master store");
        }
        queue = queue == null ? QueueConfig.DEFAULTS : queue;
        monitor = monitor == null ? MonitorConfig.defaults() : monitor;
    }
}
