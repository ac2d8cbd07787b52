package dev.codedeploy.jenkins.testing;

import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.Deploy;
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
 * codedeploy for the step's tests, offline and under JenkinsRule alike: the whole system on embedded servers (one
 * region with a host agent and its seeder, {@code codedeploy server} as a process with its builder workers and its
 * HTTP API). The step reaches it as a Jenkins controller would, through {@link #serverUrl()} and {@link #token()}
 * only; the tests read what happened through the same API.
 */
public final class TestCluster implements AutoCloseable {

    /** A build that fails with a message on stderr, after long enough for a follower to see it running. */
    public static final String FAILING_SPEC = "build: {command: [sh, -c, 'sleep 1; echo compiler says no >&2; exit 3'], output: dist}";
    /** A build that runs until it is cancelled. */
    public static final String SLOW_SPEC = "build: {command: [sh, -c, 'sleep 120'], output: dist}";
    /** The environment the cluster's host agents serve. */
    public static final String ENVIRONMENT = SandboxCluster.ENVIRONMENT;
    /** The one region. */
    public static final String REGION = SandboxCluster.REGION_NAMES.get(0);

    private final SandboxCluster sandbox;

    private TestCluster(SandboxCluster sandbox) {
        this.sandbox = sandbox;
    }

    /** Starts the system; close it after the test class. */
    public static TestCluster start() {
        try {
            return new TestCluster(SandboxCluster.start(Files.createTempDirectory("jenkins-step-"), SandboxOptions.DEMO.withRegions(1, 1),
                    new PrintStream(System.out, true)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's URL, for the global configuration. */
    public String serverUrl() {
        return sandbox.apiUrl();
    }

    /** An API token of the server, for "Secret text" credentials. */
    public String token() {
        return sandbox.token();
    }

    /** A client of the server, for the tests' own reads. */
    public CodeDeployClient client() {
        return sandbox.client();
    }

    /** The newest deploy of {@code sha}, or null. */
    public Deploy newestDeploy(String sha) {
        return client().deploys(null, false, 100).stream().filter(d -> d.sha().equals(sha)).findFirst().orElse(null);
    }

    /** The newest deploy of any commit, or null. */
    public Deploy newestDeploy() {
        return client().deploys(null, false, 1).stream().findFirst().orElse(null);
    }

    /** Commits {@code files} with the sample's working {@code .codedeploy.yml} and returns the SHA. */
    public String commit(Map<String, String> files) {
        Map<String, String> all = new HashMap<>(files);
        all.putIfAbsent(".codedeploy.yml", SampleRepository.SPEC);
        return sandbox.repo().commit("test commit", all);
    }

    /** Commits a new {@code .codedeploy.yml} and returns the SHA. */
    public String commitSpec(String spec) {
        return sandbox.repo().commit("test spec", Map.of(".codedeploy.yml", spec));
    }

    /** The sample repository's git URL. */
    public String repoUrl() {
        return sandbox.repoUrl();
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
