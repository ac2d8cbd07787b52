package dev.codedeploy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A single ZooKeeper server on a free loopback port (Curator's {@link TestingServer}), restartable on the same
 * port and data, so that a region's ensemble can go away and come back.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

    static {
        // the admin server needs Jetty 9, which is not on our classpath; we do not use it
        System.setProperty("zookeeper.admin.enableServer", "false");
        // empty container nodes (a build's peers once its last host left) go within a second, not ZooKeeper's minute
        if (System.getProperty("znode.container.checkIntervalMs") == null) {
            System.setProperty("znode.container.checkIntervalMs", "1000");
        }
    }

    private final TestingServer server;

    private EmbeddedZooKeeper(TestingServer server) {
        this.server = server;
    }

    /** Starts a server whose snapshots and logs go under {@code dataDir}. */
    public static EmbeddedZooKeeper start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            InstanceSpec spec = new InstanceSpec(dataDir.toFile(), -1, -1, -1, false, -1, 1000, 10_000);
            return new EmbeddedZooKeeper(new TestingServer(spec, true));
        } catch (Exception e) {
            throw new IllegalStateException("could not start ZooKeeper under " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The connect string, {@code 127.0.0.1:port}. */
    public String connectString() {
        return "127.0.0.1:" + server.getPort();
    }

    /** The client port. */
    public int port() {
        return server.getPort();
    }

    /** Stops the server; its data stays for {@link #restart()}. */
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new IllegalStateException("could not stop ZooKeeper on port " + port() + ": " + e.getMessage(), e);
        }
    }

    /** Starts the server again on the same port and data. */
    public void restart() {
        try {
            server.restart();
        } catch (Exception e) {
            throw new IllegalStateException("could not restart ZooKeeper on port " + port() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new IllegalStateException("could not close ZooKeeper on port " + port() + ": " + e.getMessage(), e);
        }
    }
}
