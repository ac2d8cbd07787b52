package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The distribution as an operator gets it: {@code target/codedeploy-VERSION.tar.gz} unpacked into a temporary folder,
 * its scripts run as processes. Runs in {@code verify} after {@code package} built the tarball (the server module's
 * {@code distribution} surefire execution, phase integration-test).
 */
class DistributionIT {

    private static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        // only the integration-test execution names the tarball: a -Dtest=DistributionIT run in the test phase, before
        // package, has none to unpack yet
        String built = System.getProperty("codedeploy.distribution");
        Assumptions.assumeTrue(built != null, "run by the integration-test phase, after package");
        Path tarball = Path.of(built);
        assertThat(tarball).as("the distribution built by package").isRegularFile();
        Path dir = EmbeddedServers.newFolder("distribution");
        Result tar = run(List.of("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", dir.toString()), dir);
        assertThat(tar.code()).as(tar.output()).isZero();
        try (var entries = Files.list(dir)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(home.getFileName().toString()).startsWith("codedeploy-");
        assertThat(home.resolve("bin/codedeploy")).isExecutable();
        assertThat(home.resolve("bin/codedeploy-agent")).isExecutable();
        for (String conf : new String[] {"server.yml", "worker.yml", "agent.yml", "seeder.yml", "client.yml", "logback.xml"}) {
            assertThat(home.resolve("conf").resolve(conf)).isRegularFile();
        }
    }

    @Test
    void codedeployHelpListsTheCommands() throws Exception {
        Result help = run(List.of(home.resolve("bin/codedeploy").toString(), "--help"), home);
        assertThat(help.code()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: codedeploy").contains("server").contains("deploy").contains("keys").contains("config")
                .doesNotContain("null");
    }

    @Test
    void codedeployAgentHelpNamesItsOptions() throws Exception {
        Result help = run(List.of(home.resolve("bin/codedeploy-agent").toString(), "--help"), home);
        assertThat(help.code()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: codedeploy-agent").contains("--config").contains("--seed");
    }

    @Test
    void configCheckReachesTheEmbeddedServers() throws Exception {
        String database = EmbeddedServers.newDatabase("distcheck");
        BlobStoreConfig master = TestServers.newBucketConfig();
        TestServers.newBlobStore("master", master).close();
        String zooKeeper = EmbeddedServers.zooKeeper().connectString();
        Path config = EmbeddedServers.newFolder("distcheck").resolve("server.yml");
        Files.writeString(config, """
                database: {url: "%s", user: root, password: ""}
                blobStore: {endpoint: "%s", bucket: %s, accessKey: %s, secretKey: "${TEST_S3_SECRET}", pathStyle: true}
                zooKeeper: {connectString: "%s"}
                """.formatted(database, master.endpoint(), master.bucket(), master.accessKey(), zooKeeper));

        // a fresh JVM loads the S3 SDK inside the blob store's time: generous here, on a shared machine (the bound itself
        // is ConfigCheckCommandTest's)
        Result check = run(List.of(home.resolve("bin/codedeploy").toString(), "config", "check", config.toString(), "--timeout", "60s"),
                home, "TEST_S3_SECRET", master.secretKey());
        assertThat(check.code()).as(check.output()).isZero();
        assertThat(check.output()).contains("ok config " + config + " (server)")
                .containsPattern("(?m)^ok database jdbc:mysql://\\S+ \\(no schema yet: created at the first start\\)$")
                .containsPattern("(?m)^ok blobStore master ")
                .containsPattern("(?m)^ok zooKeeper master " + zooKeeper + " ")
                .contains("all 3 parts reached");

        Result invalid = run(List.of(home.resolve("bin/codedeploy").toString(), "config", "check", config.toString()), home);
        assertThat(invalid.code()).as("the secret's variable unset: " + invalid.output()).isEqualTo(CodeDeployCli.USAGE);
        assertThat(invalid.output()).contains("TEST_S3_SECRET");
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> command, Path dir, String... environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        for (int i = 0; i < environment.length; i += 2) {
            builder.environment().put(environment[i], environment[i + 1]);
        }
        Path output = Files.createTempFile(dir.getParent() == null ? dir : dir, "run", ".out");
        Process process = builder.redirectOutput(output.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within 120 s: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
