package dev.codedeploy.database;

import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.Redaction;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the jobs database is.
 *
 * <p>A password written into the URL ({@code jdbc:mysql://user:secret@host/db} or {@code ?password=secret}) is moved
 * out of it into {@code password} when the record is made, so that the URL can be logged, shown and put into errors
 * (by this code, the pool, the driver and Flyway) without the password.
 *
 * @param url      JDBC URL, {@code jdbc:mysql://host:port/database} (MySQL 8 or MariaDB 10.6+), without its password
 * @param user     user name
 * @param password password, may be empty
 * @param poolSize connections in the pool
 */
public record DatabaseConfig(String url, String user, String password, int poolSize) {

    /** Default pool size: enough for a worker pool, its heartbeats and the monitor. */
    public static final int DEFAULT_POOL_SIZE = 10;

    private static final Pattern USER_INFO = Pattern.compile("^(jdbc:[a-z]+://)([^/@?]*)@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("([?&])password=([^&]*)&?");

    public DatabaseConfig {
        Objects.requireNonNull(url, "database.url is required");
        if (!url.startsWith("jdbc:mysql://") && !url.startsWith("jdbc:mariadb://")) {
            throw new IllegalArgumentException("database.url must start with jdbc:mysql:// (MySQL 8 or MariaDB 10.6+), got '"
                    + Redaction.url(url) + "'");
        }
        String inUrl = null;
        Matcher info = USER_INFO.matcher(url);
        if (info.find()) {
            String[] parts = info.group(2).split(":", 2);
            user = user == null || user.isEmpty() ? decode(parts[0]) : user;
            inUrl = parts.length == 2 ? decode(parts[1]) : null;
            url = info.group(1) + url.substring(info.end());
        }
        Matcher parameter = PASSWORD_PARAMETER.matcher(url);
        if (parameter.find()) {
            inUrl = decode(parameter.group(2));
            String separator = parameter.group(0).endsWith("&") && parameter.group(1).equals("?") ? "?" : parameter.group(0).endsWith("&") ? "&" : "";
            url = url.substring(0, parameter.start()) + separator + url.substring(parameter.end());
        }
        if (inUrl != null && password != null && !password.isEmpty() && !password.equals(inUrl)) {
            throw new ConfigException("database.url holds a password and database.password another one: give it once, in database.password");
        }
        user = user == null ? "root" : user;
        password = inUrl != null ? inUrl : password == null ? "" : password;
        if (poolSize <= 0) {
            poolSize = DEFAULT_POOL_SIZE;
        }
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
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
