package dev.codedeploy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One MariaDB, one S3Proxy and one ZooKeeper per JVM, started on first use and stopped at exit, so that every test
 * class of a module shares them (MariaDB takes seconds to start). Each user takes a database or bucket of its own.
 */
public final class EmbeddedServers {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Path root;
    private static EmbeddedMariaDb mariaDb;
    private static EmbeddedS3 s3;
    private static EmbeddedZooKeeper zooKeeper;

    private EmbeddedServers() {
    }

    /** The shared MariaDB. */
    public static synchronized EmbeddedMariaDb mariaDb() {
        if (mariaDb == null) {
            mariaDb = EmbeddedMariaDb.start(root().resolve("mariadb"));
        }
        return mariaDb;
    }

    /** The shared S3 endpoint. */
    public static synchronized EmbeddedS3 s3() {
        if (s3 == null) {
            s3 = EmbeddedS3.start(root().resolve("s3"));
        }
        return s3;
    }

    /** The shared ZooKeeper server. */
    public static synchronized EmbeddedZooKeeper zooKeeper() {
        if (zooKeeper == null) {
            zooKeeper = EmbeddedZooKeeper.start(root().resolve("zookeeper"));
        }
        return zooKeeper;
    }

    /**
     * Creates a new empty database on the shared MariaDB.
     *
     * @param prefix lowercase letters, digits and '_'
     * @return its JDBC URL
     */
    public static String newDatabase(String prefix) {
        return mariaDb().createDatabase(prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet());
    }

    /** A fresh folder under the shared servers' temporary root, deleted at exit. */
    public static synchronized Path newFolder(String prefix) {
        try {
            return Files.createTempDirectory(root(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("codedeploy-embedded-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedServers::stopAll, "embedded-servers-stop"));
        }
        return root;
    }

    private static synchronized void stopAll() {
        for (AutoCloseable server : new AutoCloseable[] {zooKeeper, s3, mariaDb}) {
            if (server != null) {
                try {
                    server.close();
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
            }
        }
        delete(root);
    }

    /** Deletes a folder tree, quietly. */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
