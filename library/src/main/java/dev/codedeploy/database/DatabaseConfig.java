package dev.codedeploy.database;

import java.util.Objects;

/**
 * Where the jobs database is.
 *
 * @param url      JDBC URL, {@code jdbc:mysql://host:port/database} (MySQL 8 or MariaDB 10.6+)
 * @param user     user name
 * @param password password, may be empty
 * @param poolSize connections in the pool
 */
public record DatabaseConfig(String url, String user, String password, int poolSize) {

    /** Default pool size: enough for a worker pool, its heartbeats and the monitor. */
    public static final int DEFAULT_POOL_SIZE = 10;

    public DatabaseConfig {
        Objects.requireNonNull(url, "database.url is required");
        if (!url.startsWith("jdbc:mysql://") && !url.startsWith("jdbc:mariadb://")) {
            throw new IllegalArgumentException("database.url must start with jdbc:mysql:// (MySQL 8 or MariaDB 10.6+), got '" + url + "'");
        }
        user = user == null ? "root" : user;
        password = password == null ? "" : password;
        if (poolSize <= 0) {
            poolSize = DEFAULT_POOL_SIZE;
        }
    }

    /** The same database with another pool size. */
    public DatabaseConfig withPoolSize(int size) {
        return new DatabaseConfig(url, user, password, size);
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}
