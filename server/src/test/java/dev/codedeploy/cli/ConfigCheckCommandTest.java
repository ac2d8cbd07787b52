package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.TestServers;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code codedeploy config check} against the embedded MariaDB, S3Proxy and ZooKeeper, with a part down. */
class ConfigCheckCommandTest {

    private final CliHarness cli;
    private final String zooKeeper = EmbeddedServers.zooKeeper().connectString();
    private final BlobStoreConfig regional = TestServers.newBucketConfig();

    ConfigCheckCommandTest() throws Exception {
        cli = new CliHarness("configcheck", "");
        TestServers.newBlobStore("master", dev.codedeploy.config.ConfigLoader.load(cli.config).blobStore()).close();
        TestServers.newBlobStore("regional", regional).close();
    }

    @AfterEach
    void close() {
        cli.close();
    }

    private Path server(String regions) throws Exception {
        Files.writeString(cli.config, Files.readString(cli.config) + """
                zooKeeper: {connectString: "%s"}
                regions:
                %s
                """.formatted(zooKeeper, regions));
        return cli.config;
    }

    private String region(String name, BlobStoreConfig store, String connectString) {
        return "  - {name: %s, blobStore: {endpoint: \"%s\", bucket: %s, accessKey: %s, secretKey: %s, pathStyle: true}, zooKeeper: {connectString: \"%s\"}}"
                .formatted(name, store.endpoint(), store.bucket(), store.accessKey(), store.secretKey(), connectString);
    }

    @Test
    void everyPartOfAServersFileIsReachedWithOneLineEach() throws Exception {
        Path file = server(region("eu-west", regional, zooKeeper));

        assertThat(cli.run("config", "check", file.toString())).as(cli.out + "\n" + cli.err).isZero();
        String out = cli.out.toString();
        assertThat(out).contains("ok config " + file + " (server)")
                .containsPattern("(?m)^ok database jdbc:mysql://\\S+ \\(schema version \\d+\\)$")
                .containsPattern("(?m)^ok blobStore master http\\S+ \\(bucket \\S+\\)$")
                .containsPattern("(?m)^ok zooKeeper master " + zooKeeper + " \\(session 0x[0-9a-f]+, no identity\\)$")
                .containsPattern("(?m)^ok blobStore eu-west http\\S+ \\(bucket " + regional.bucket() + "\\)$")
                .containsPattern("(?m)^ok zooKeeper eu-west " + zooKeeper + " ")
                .contains("all 5 parts reached");
    }

    @Test
    void aRegionDownFailsItsLinesAndTheExitCodeWithinTheTimeout() throws Exception {
        String closed = "127.0.0.1:" + closedPort();
        BlobStoreConfig missingBucket = BlobStoreConfig.of(regional.endpoint(), "no-such-bucket-" + System.nanoTime(),
                regional.accessKey(), regional.secretKey());
        Path file = server(region("eu-west", regional, zooKeeper) + "\n" + region("ap-east", missingBucket, closed));

        long started = System.nanoTime();
        assertThat(cli.run("config", "check", file.toString(), "--timeout", "5s")).as(cli.out + "\n" + cli.err).isEqualTo(CodeDeployCli.FAILED);
        assertThat((System.nanoTime() - started) / 1_000_000_000.0).as("every part at once, each bounded").isLessThan(20);
        String out = cli.out.toString();
        assertThat(out).containsPattern("(?m)^ok zooKeeper eu-west ")
                .containsPattern("(?m)^FAIL zooKeeper ap-east " + closed + ": no session within 5s$")
                .containsPattern("(?m)^FAIL blobStore ap-east http\\S+: .*bucket 'no-such-bucket-\\d+' does not exist")
                .contains("2 of 7 parts failed");
    }

    @Test
    void anAgentsFileIsCheckedAsAnAgentReadsIt() throws Exception {
        Path file = EmbeddedServers.newFolder("agentcheck").resolve("agent.yml");
        Files.writeString(file, """
                hostId: web-1
                environment: production
                region: eu-west
                dataDir: /var/lib/codedeploy
                releasePublicKeys: {k1: %s}
                zooKeeper: {connectString: "%s"}
                blobStore: {endpoint: "%s", bucket: %s, accessKey: %s, secretKey: %s, pathStyle: true}
                """.formatted(ReleaseKeys.encode(ReleaseKeys.generate().getPublic()), zooKeeper, regional.endpoint(), regional.bucket(),
                regional.accessKey(), regional.secretKey()));

        assertThat(cli.run("config", "check", file.toString())).as(cli.out + "\n" + cli.err).isZero();
        assertThat(cli.out.toString()).contains("ok config " + file + " (agent)")
                .containsPattern("(?m)^ok zooKeeper eu-west " + zooKeeper + " ")
                .containsPattern("(?m)^ok blobStore eu-west ")
                .contains("all 2 parts reached");
    }

    @Test
    void anAgentWithItsOwnIdentityFailsUntilItsHostIsEnrolled() throws Exception {
        String environment = "check-" + System.nanoTime();
        String publicKey = ReleaseKeys.encode(ReleaseKeys.generate().getPublic());
        Path file = EmbeddedServers.newFolder("agentenrolled").resolve("agent.yml");
        String agent = """
                hostId: web-2
                environment: %s
                region: eu-west
                dataDir: /var/lib/codedeploy
                releasePublicKeys: {k1: %s}
                zooKeeper: {connectString: "%s"}
                hostPassword: "PASSWORD"
                blobStore: {endpoint: "%s", bucket: %s, accessKey: %s, secretKey: %s, pathStyle: true}
                """.formatted(environment, publicKey, zooKeeper, regional.endpoint(), regional.bucket(), regional.accessKey(),
                regional.secretKey());
        Files.writeString(file, agent.replace("PASSWORD", "not-enrolled-yet"));

        assertThat(cli.run("config", "check", file.toString())).as(cli.out + "\n" + cli.err).isEqualTo(CodeDeployCli.FAILED);
        assertThat(cli.out.toString()).containsPattern("(?m)^FAIL zooKeeper eu-west " + zooKeeper + ": host web-2 is not enrolled .*hosts enroll");

        // enrolled as operations.md says, with the control plane's identity; the agent gets the password it prints
        Path control = EmbeddedServers.newFolder("enroll").resolve("server.yml");
        Files.writeString(control, """
                database: {url: "jdbc:mysql://127.0.0.1:1/never-opened", user: root, password: ""}
                blobStore: {endpoint: "http://127.0.0.1:1", bucket: master, accessKey: a, secretKey: b, pathStyle: true}
                regions:
                  - name: eu-west
                    blobStore: {endpoint: "http://127.0.0.1:1", bucket: east, accessKey: a, secretKey: b, pathStyle: true}
                    zooKeeper: {connectString: "%s", user: control, password: control-pw}
                rollout:
                  hostSecret: a-host-secret-of-the-test-0123456789
                """.formatted(zooKeeper));
        assertThat(cli.run("hosts", "enroll", "-c", control.toString(), "-r", "eu-west", "-e", environment, "web-2", "--show-password"))
                .as(cli.err.toString()).isZero();
        java.util.regex.Matcher password = java.util.regex.Pattern.compile("web-2 enrolled at \\S+ password (\\S+)").matcher(cli.out.toString());
        assertThat(password.find()).as(cli.out.toString()).isTrue();
        Files.writeString(file, agent.replace("PASSWORD", password.group(1)));

        assertThat(cli.run("config", "check", file.toString())).as(cli.out + "\n" + cli.err).isZero();
        assertThat(cli.out.toString()).containsPattern("(?m)^ok zooKeeper eu-west " + zooKeeper + " \\(session 0x[0-9a-f]+, as web-2, enrolled\\)$");
    }

    @Test
    void anInvalidFileExitsTwoNamingTheFieldAndReachesNothing() throws Exception {
        Files.writeString(cli.config, Files.readString(cli.config) + "build: {workerz: 3, workDir: /tmp/x}\n");

        assertThat(cli.run("config", "check", cli.config.toString())).isEqualTo(CodeDeployCli.USAGE);
        assertThat(cli.err.toString()).contains("unknown field 'build.workerz'").contains("accepted here:");
        assertThat(cli.out.toString()).doesNotContain("ok database");

        Path unknown = EmbeddedServers.newFolder("kind").resolve("what.yml");
        Files.writeString(unknown, "something: 1\n");
        assertThat(cli.run("config", "check", unknown.toString())).isEqualTo(CodeDeployCli.USAGE);
        assertThat(cli.err.toString()).contains("cannot tell which process it configures").contains("--kind");
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
