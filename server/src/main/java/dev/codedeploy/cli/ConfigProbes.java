package dev.codedeploy.cli;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.Identity;
import dev.codedeploy.config.Redaction;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.zookeeper.ZooKeeperClients;
import dev.codedeploy.zookeeper.ZooKeeperClients.Credentials;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/**
 * One probe per kind of part a configuration names, each reaching it once and saying what it found in a few words
 * (or throwing with why not). They never write: a database is not migrated, a bucket not created, no node made.
 * {@link ConfigCheckCommand} bounds each in time.
 */
final class ConfigProbes {

    private ConfigProbes() {
    }

    /** Connects and reads the schema version Flyway recorded. */
    static String database(DatabaseConfig config, Duration timeout) throws SQLException {
        loadDriver();
        Properties properties = new Properties();
        properties.setProperty("user", config.user());
        properties.setProperty("password", config.password());
        properties.setProperty("connectTimeout", String.valueOf(timeout.toMillis()));
        properties.setProperty("socketTimeout", String.valueOf(timeout.toMillis()));
        try (Connection connection = DriverManager.getConnection(config.url(), properties); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            try (ResultSet rows = statement.executeQuery(
                    "SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank DESC LIMIT 1")) {
                return rows.next() ? "schema version " + rows.getString(1) : "no schema yet: created at the first start";
            } catch (SQLException e) {
                if (e.getErrorCode() == 1146) { // ER_NO_SUCH_TABLE
                    return "no schema yet: created at the first start";
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new SQLException(Redaction.secrets(e.getMessage(), List.of(config.password())), e.getSQLState(), e.getErrorCode());
        }
    }

    private static void loadDriver() {
        try {
            // registered by name: DriverManager's service lookup does not see it under every class loader
            Class.forName("com.mysql.cj.jdbc.Driver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the MySQL driver is not on the class path", e);
        }
    }

    /** Asks for the bucket (HEAD). */
    static String blobStore(String name, BlobStoreConfig config) {
        try (S3BlobStore store = new S3BlobStore(name, config)) {
            store.checkReachable();
            return "bucket " + config.bucket();
        }
    }

    /** Opens a session with the configured identity and reads the root. */
    static String zooKeeper(ZooKeeperConfig config, Duration timeout) throws Exception {
        return zooKeeper(config, null, null, timeout);
    }

    /**
     * Opens a session with the configured identity and {@code own} (an agent's), and reads the root, or
     * {@code enrolledNode} when not null: the node enrollment made for a host, without which its agent cannot report.
     */
    static String zooKeeper(ZooKeeperConfig config, Credentials own, String enrolledNode, Duration timeout) throws Exception {
        ZooKeeperConfig bounded = new ZooKeeperConfig(config.connectString(), config.sessionTimeout(), timeout, config.user(), config.password());
        CuratorFramework client = own == null ? ZooKeeperClients.start(bounded) : ZooKeeperClients.start(bounded, null, own);
        try {
            if (!client.blockUntilConnected((int) timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("no session within " + dev.codedeploy.config.Durations.format(timeout));
            }
            client.checkExists().forPath("/");
            if (enrolledNode != null && client.checkExists().forPath(enrolledNode) == null) {
                throw new IllegalStateException("host " + own.user() + " is not enrolled (no " + enrolledNode + "): run 'codedeploy hosts"
                        + " enroll -c server.yml -r REGION " + own.user() + " --show-password' on the operators' machine");
            }
            String identity = config.user() != null ? "as " + config.user() : own != null ? "as " + own.user() : "no identity";
            if (enrolledNode != null) {
                identity += ", enrolled";
            }
            return "session 0x" + Long.toHexString(ZooKeeperClients.sessionId(client)) + ", " + identity;
        } finally {
            client.close();
        }
    }

    /** Asks the API who the token is. */
    static String api(URI server, String token, Duration timeout) {
        Identity identity = CodeDeployClient.create(server, token).withRequestTimeout(timeout).whoami();
        return "token of " + identity.name() + ", scope " + identity.scope().name().toLowerCase(java.util.Locale.ROOT);
    }
}
