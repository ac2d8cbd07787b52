package dev.codedeploy.ghaction;

import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.Job;
import dev.codedeploy.sandbox.cluster.SandboxCluster;
import dev.codedeploy.sandbox.cluster.SandboxOptions;
import dev.codedeploy.testing.SampleRepository;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * codedeploy for the action's tests: the whole system on embedded servers (one region with a host agent and its
 * seeder, {@code codedeploy server} as a process with its builder workers and its HTTP API). The action runs in
 * another process and reaches the server over loopback with {@link #serverUrl()} and {@link #token()} only; the tests
 * read what happened through the same API.
 */
final class ActionTestCluster implements AutoCloseable {

    /** A build that fails with a message on stderr, after long enough for the action to see it running. */
    static final String FAILING_SPEC = "build: {command: [sh, -c, 'sleep 2; echo compiler says no >&2; exit 3'], output: dist}";
    /** A build that runs until it is cancelled. */
    static final String SLOW_SPEC = "build: {command: [sh, -c, 'sleep 120'], output: dist}";
    /** The environment the cluster's host agents serve. */
    static final String ENVIRONMENT = SandboxCluster.ENVIRONMENT;

    private final SandboxCluster sandbox;

    ActionTestCluster() {
        try {
            sandbox = SandboxCluster.start(Files.createTempDirectory("ghaction-"), SandboxOptions.DEMO.withRegions(1, 1),
                    new PrintStream(System.out, true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's URL, for the {@code server-url} input. */
    String serverUrl() {
        return sandbox.apiUrl();
    }

    /** An API token of the server, for the {@code token} input. */
    String token() {
        return sandbox.token();
    }

    /** A client of the server, for the tests' own reads. */
    CodeDeployClient client() {
        return sandbox.client();
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

    /** The newest deploy of {@code sha}, or null. */
    Deploy newestDeploy(String sha) {
        return client().deploys(null, false, 100).stream().filter(d -> d.sha().equals(sha)).findFirst().orElse(null);
    }

    /** The newest deploy of any commit, or null. */
    Deploy newestDeploy() {
        return client().deploys(null, false, 1).stream().findFirst().orElse(null);
    }

    /** The build job of {@code deploy}. */
    Job job(Deploy deploy) {
        return client().job(deploy.jobId());
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
        sandbox.close();
    }
}
