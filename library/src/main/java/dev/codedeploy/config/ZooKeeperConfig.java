package dev.codedeploy.config;

import java.time.Duration;

/**
 * How to reach one ZooKeeper ensemble.
 *
 * @param connectString     {@code host:port[,host:port...]}
 * @param sessionTimeout    session timeout (default 30 s)
 * @param connectionTimeout connection timeout (default 15 s)
 * @param user              digest user for ACLs, or null
 * @param password          digest password, or null
 */
public record ZooKeeperConfig(String connectString, Duration sessionTimeout, Duration connectionTimeout, String user, String password) {

    public ZooKeeperConfig {
        if (connectString == null || connectString.isBlank()) {
            throw new ConfigException("zooKeeper.connectString is required: host:port[,host:port...]");
        }
        sessionTimeout = sessionTimeout == null ? Duration.ofSeconds(30) : sessionTimeout;
        connectionTimeout = connectionTimeout == null ? Duration.ofSeconds(15) : connectionTimeout;
    }

    /** An ensemble at {@code connectString} with default timeouts and no credentials. */
    public static ZooKeeperConfig of(String connectString) {
        return new ZooKeeperConfig(connectString, null, null, null, null);
    }

    @Override
    public String toString() {
        return "ZooKeeperConfig[connectString=" + connectString + ", user=" + user + "]";
    }
}
