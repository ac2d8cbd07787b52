package dev.codedeploy.sandbox.cluster;

import dev.codedeploy.testing.EmbeddedS3;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * {@code S3ServerMain DATA_DIR ADDRESS PORT}: S3Proxy over a folder on a given address, as its own process, so that
 * it can run in a network namespace behind a rate-limited link (the p2p benchmark's regional blob store). Same keys as
 * {@link EmbeddedS3}. Runs until killed.
 */
public final class S3ServerMain {

    private S3ServerMain() {
    }

    /** Starts the server and waits. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: S3ServerMain DATA_DIR ADDRESS PORT");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Files.createDirectories(data);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", data.toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", properties))
                .endpoint(URI.create("http://" + args[1] + ":" + Integer.parseInt(args[2])))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        System.out.println("S3 ready on " + args[1] + ":" + proxy.getPort());
        System.out.flush();
        Thread.currentThread().join();
    }
}
