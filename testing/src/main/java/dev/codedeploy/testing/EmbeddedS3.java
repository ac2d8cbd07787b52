package dev.codedeploy.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * An S3 endpoint on loopback: S3Proxy over a filesystem folder. It can be stopped and started again on the same
 * port with the same data, which is how the sandbox takes a region's blob store down and brings it back.
 *
 * <p>Clients must use path-style access and {@code WHEN_REQUIRED} checksum calculation and validation.
 */
public final class EmbeddedS3 implements AutoCloseable {

    /** The access key every embedded endpoint accepts. */
    public static final String ACCESS_KEY = "codedeploy";
    /** The secret key every embedded endpoint accepts. */
    public static final String SECRET_KEY = "codedeploy-secret";

    private final Path dataDir;
    private int port;
    private S3Proxy proxy;

    private EmbeddedS3(Path dataDir) {
        this.dataDir = dataDir;
    }

    /**
     * Starts S3Proxy on a free port; each bucket is a folder under {@code dataDir}.
     */
    public static EmbeddedS3 start(Path dataDir) {
        EmbeddedS3 s3 = new EmbeddedS3(dataDir);
        s3.startOn(0);
        return s3;
    }

    private synchronized void startOn(int requestedPort) {
        try {
            Files.createDirectories(dataDir);
            Properties properties = new Properties();
            properties.setProperty("jclouds.filesystem.basedir", dataDir.toString());
            BlobStore blobStore = BlobStores.create("filesystem", properties);
            S3Proxy started = S3Proxy.builder()
                    .blobStore(blobStore)
                    .endpoint(URI.create("http://127.0.0.1:" + requestedPort))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .ignoreUnknownHeaders(true)
                    .build();
            started.start();
            this.proxy = started;
            this.port = started.getPort();
        } catch (Exception e) {
            throw new IllegalStateException("could not start S3Proxy on port " + requestedPort + " over " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The endpoint URI, for example {@code http://127.0.0.1:43127}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The folder that holds the buckets. */
    public Path dataDir() {
        return dataDir;
    }

    /** True between start and stop. */
    public synchronized boolean isRunning() {
        return proxy != null;
    }

    /** Stops serving; the data stays, and {@link #restart()} serves it again on the same port. */
    public synchronized void stop() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop S3Proxy on port " + port + ": " + e.getMessage(), e);
        } finally {
            proxy = null;
        }
    }

    /** Starts serving again on the same port after {@link #stop()}. */
    public synchronized void restart() {
        if (proxy == null) {
            startOn(port);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
