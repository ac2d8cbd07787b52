package dev.codedeploy.cli;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.TestServers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The CLI against a fresh database and master bucket on the embedded servers: a configuration file naming them (plus
 * the YAML a test adds), and {@link #run} capturing what the command prints.
 */
final class CliHarness implements AutoCloseable {

    final Database database;
    final Path config;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /**
     * @param name  a prefix for the database and folder, {@code [a-z][a-z0-9_]*}
     * @param extra YAML appended to the configuration; {@code %2$s} to {@code %5$s} are the master's endpoint, bucket,
     *              access key and secret key
     */
    CliHarness(String name, String extra) throws IOException {
        String url = EmbeddedServers.newDatabase(name);
        BlobStoreConfig master = TestServers.newBucketConfig();
        config = EmbeddedServers.newFolder(name).resolve("codedeploy.yml");
        Files.writeString(config, ("""
                database: {url: "%s", user: root, password: ""}
                blobStore: {endpoint: "%s", bucket: %s, accessKey: %s, secretKey: %s, pathStyle: true}
                """ + extra).formatted(url, master.endpoint(), master.bucket(), master.accessKey(), master.secretKey()));
        database = Database.open(new DatabaseConfig(url, "root", "", 8));
    }

    /** Runs {@code codedeploy args...} and returns its exit code. */
    int run(String... args) {
        CommandLine cli = CodeDeployCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Override
    public void close() {
        database.close();
    }
}
