package dev.codedeploy.ghaction;

import dev.codedeploy.CodeDeploy;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.SampleRepository;
import dev.codedeploy.queue.Job;
import dev.codedeploy.sandbox.cluster.SandboxCluster;
import dev.codedeploy.sandbox.cluster.SandboxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * codedeploy for the action's tests: the whole system on embedded servers (one region with a host agent and its
 * seeder, {@code codedeploy server} as a process). The action runs in another process and reaches it over loopback
 * through {@link #configYaml()}, whose secrets are {@code ${VARIABLES}} as a workflow gives them. The embedded
 * MariaDB skips grant tables, so it takes any password: the action still has to carry and hide one.
 */
final class ActionTestCluster implements AutoCloseable {

    /** A build that fails with a message on stderr, after long enough for the action to see it running. */
    static final String FAILING_SPEC = "build: {command: [sh, -c, 'sleep 2; echo compiler says no >&2; exit 3'], output: dist}";
    /** A build that runs until it is cancelled. */
    static final String SLOW_SPEC = "build: {command: [sh, -c, 'sleep 120'], output: dist}";
    /** The environment the cluster's host agents serve. */
    static final String ENVIRONMENT = SandboxCluster.ENVIRONMENT;
    /** The environment variables the configuration takes its secrets from. */
    static final String DB_PASSWORD_VARIABLE = "CODEDEPLOY_DB_PASSWORD";
    static final String S3_SECRET_VARIABLE = "CODEDEPLOY_S3_SECRET";

    private final SandboxCluster sandbox;
    private final CodeDeploy codeDeploy;
    private final String databasePassword = "db-pw-" + UUID.randomUUID();

    ActionTestCluster() {
        try {
            sandbox = SandboxCluster.start(Files.createTempDirectory("ghaction-"), SandboxOptions.DEMO.withRegions(1, 1),
                    new PrintStream(System.out, true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        codeDeploy = sandbox.codeDeploy();
    }

    /** The sandbox's configuration with its secrets as {@code ${VARIABLES}}: give them with {@link #secretEnv()}. */
    String configYaml() {
        try {
            return Files.readString(sandbox.configFile())
                    .replace("user: root, password: \"\"", "user: root, password: \"${" + DB_PASSWORD_VARIABLE + "}\"")
                    .replace("secretKey: " + EmbeddedS3.SECRET_KEY, "secretKey: \"${" + S3_SECRET_VARIABLE + "}\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The secrets {@link #configYaml()} refers to. */
    Map<String, String> secretEnv() {
        Map<String, String> env = new HashMap<>();
        env.put(DB_PASSWORD_VARIABLE, databasePassword);
        env.put(S3_SECRET_VARIABLE, EmbeddedS3.SECRET_KEY);
        return env;
    }

    /** The database user's password. */
    String databasePassword() {
        return databasePassword;
    }

    /** The blob stores' secret key. */
    String blobStoreSecret() {
        return EmbeddedS3.SECRET_KEY;
    }

    /** Commits {@code files} with the sample's working {@code .codedeploy.yml} and returns the SHA. */
    String commit(Map<String, String> files) {
        Map<String, String> all = new HashMap<>(files);
        all.putIfAbsent(".codedeploy.yml", SampleRepository.SPEC);
        return sandbox.repo().commit("test commit", all);
    }

    /** Commits a new {@code .codedeploy.yml} and returns the SHA. */
    String commitSpec(String spec) {
        return sandbox.repo().commit("test spec", Map.of(".codedeploy.yml", spec));
    }

    /** The newest job of {@code sha}, or null. */
    Job newestJob(String sha) {
        List<Job> jobs = codeDeploy.history(sha, 1);
        return jobs.isEmpty() ? null : jobs.get(0);
    }

    /** The newest job of any commit, or null. */
    Job newestJob() {
        List<Job> jobs = codeDeploy.recentJobs(1);
        return jobs.isEmpty() ? null : jobs.get(0);
    }

    /** The git URL of the sample repository. */
    String repoUrl() {
        return sandbox.repoUrl();
    }

    /** The region's name. */
    String region() {
        return SandboxCluster.REGION_NAMES.get(0);
    }

    @Override
    public void close() {
        codeDeploy.close();
        sandbox.close();
    }
}
