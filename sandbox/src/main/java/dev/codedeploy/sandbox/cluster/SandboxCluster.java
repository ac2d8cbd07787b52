package dev.codedeploy.sandbox.cluster;

import dev.codedeploy.CodeDeploy;
import dev.codedeploy.api.ApiTokens;
import dev.codedeploy.cli.ClientConfig;
import dev.codedeploy.cli.CodeDeployCli;
import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.agent.AgentConfig;
import dev.codedeploy.agent.install.InstallConfig;
import dev.codedeploy.agent.p2p.PeerNetworkConfig;
import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.testing.EmbeddedMariaDb;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedZooKeeper;
import dev.codedeploy.testing.GitDaemon;
import dev.codedeploy.testing.SampleRepository;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.rollout.HostEnrollment;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The whole system on this machine: MariaDB, a master S3 and ZooKeeper, per region an S3, a ZooKeeper, a seeder and
 * host agents (each agent a process of its own), a sample repository behind {@code git daemon}, and
 * {@code codedeploy server} (workers, monitor, replicator, region sync, rollout driver, deploy conductor, HTTP API) as a
 * process. It writes the server's configuration file (which the facade, the Jenkins step and the Action use too) and a
 * client configuration holding only the API's URL and a token, which the CLI and {@link #client()} use. Closing it stops
 * everything.
 */
public final class SandboxCluster implements AutoCloseable {

    /** The regions, in the order they are started. */
    public static final List<String> REGION_NAMES = List.of("us-east", "us-west", "eu-west", "ap-south", "ap-east");
    /** The environment the sandbox deploys to. */
    public static final String ENVIRONMENT = "production";
    static final String CONTROL_USER = "control";
    static final String CONTROL_PASSWORD = "control-secret";
    /** {@code rollout.hostSecret}: the hosts' ZooKeeper passwords are derived from it when they are enrolled. */
    static final String HOST_SECRET = "sandbox-host-secret-0123456789";

    private final Path dir;
    private final SandboxOptions options;
    private final PrintStream out;
    private final List<AutoCloseable> servers = new ArrayList<>();
    private final Map<String, Region> regions = new LinkedHashMap<>();
    private final List<AgentProcess> agents = new ArrayList<>();
    private final KeyPair keys = ReleaseKeys.generate();
    private EmbeddedMariaDb mariaDb;
    private String databaseUrl;
    private EmbeddedS3 masterS3;
    private EmbeddedZooKeeper masterZooKeeper;
    private SampleRepository repo;
    private GitDaemon git;
    private Path configFile;
    private final List<ChildProcess> controlPlanes = new ArrayList<>();
    private final String token = ApiTokens.generate();
    private int apiPort = freePort();
    private Path clientConfigFile;
    private AgentLauncher launcher;

    /** One region's servers. */
    public record Region(String name, EmbeddedS3 s3, EmbeddedZooKeeper zooKeeper, BlobStoreConfig bucket) {
    }

    private SandboxCluster(Path dir, SandboxOptions options, PrintStream out) {
        this.dir = dir;
        this.options = options;
        this.out = out;
    }

    /** Starts everything under {@code dir}, reporting each step to {@code out}. */
    public static SandboxCluster start(Path dir, SandboxOptions options, PrintStream out) {
        GitDaemon.checkInstalled();
        SandboxCluster cluster = new SandboxCluster(dir, options, out);
        try {
            cluster.startServers();
            cluster.writeConfig();
            cluster.startControlPlane();
            cluster.startAgents();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startServers() {
        long t0 = System.nanoTime();
        mariaDb = keep(EmbeddedMariaDb.start(dir.resolve("mariadb")));
        databaseUrl = mariaDb.createDatabase("codedeploy");
        masterS3 = keep(EmbeddedS3.start(dir.resolve("s3-master")));
        bucket(masterS3, "codedeploy-master");
        masterZooKeeper = keep(EmbeddedZooKeeper.start(dir.resolve("zk-master")));
        for (String name : REGION_NAMES.subList(0, options.regions())) {
            EmbeddedS3 s3 = keep(EmbeddedS3.start(dir.resolve("s3-" + name)));
            EmbeddedZooKeeper zk = keep(EmbeddedZooKeeper.start(dir.resolve("zk-" + name)));
            regions.put(name, new Region(name, s3, zk, bucket(s3, "codedeploy-" + name)));
        }
        repo = keep(SampleRepository.create(dir.resolve("git").resolve("sample")));
        git = keep(GitDaemon.start(dir.resolve("git")));
        say("servers up in %.1f s: MariaDB :%d, master S3 %s and ZooKeeper %s, %d regions each with S3 and ZooKeeper, git daemon %s",
                (System.nanoTime() - t0) / 1e9, mariaDb.port(), masterS3.endpoint(), masterZooKeeper.connectString(), regions.size(),
                repoUrl());
    }

    private static BlobStoreConfig bucket(EmbeddedS3 s3, String name) {
        BlobStoreConfig config = BlobStoreConfig.of(s3.endpoint(), name, EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY);
        try (S3BlobStore store = new S3BlobStore(name, config)) {
            store.createBucketIfMissing();
        }
        return config;
    }

    private void writeConfig() {
        configFile = dir.resolve("codedeploy.yml");
        clientConfigFile = dir.resolve("client.yml");
        try {
            Files.writeString(configFile, SandboxConfigFile.render(this));
            Files.writeString(clientConfigFile, new ClientConfig(apiUrl(), token).toYaml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startControlPlane() {
        long t0 = System.nanoTime();
        ChildProcess server = startFirstServer();
        say("codedeploy server up in %.1f s (pid %d): %d builder workers, monitor, replicator, region sync, rollout driver,"
                + " deploy conductor, API on %s", (System.nanoTime() - t0) / 1e9, server.pid(), options.workers(), apiUrl());
    }

    /**
     * Starts the first server on {@link #apiPort}. That port was free when picked, but any server started since (the
     * embedded ones, the git daemon) may have been given it too; then a new port is picked and the configuration
     * written again, a bounded number of times.
     */
    private ChildProcess startFirstServer() {
        for (int attempt = 1; ; attempt++) {
            ChildProcess server = launchServer("server", apiPort);
            if (server.awaitLog(Pattern.compile("server ready"), Duration.ofMinutes(3))) {
                return server;
            }
            boolean portTaken = server.logLines().stream().anyMatch(l -> l.contains("already in use"));
            if (!portTaken || attempt == 3) {
                throw server.notStarted("codedeploy server");
            }
            server.terminate(Duration.ofSeconds(10));
            controlPlanes.remove(server);
            say("API port %d was taken by another server meanwhile; trying another", apiPort);
            apiPort = freePort();
            writeConfig();
        }
    }

    /**
     * Starts one more {@code codedeploy server} process on the same configuration (every part, its API on
     * {@code port}), as a second server of a fleet; closed with the cluster.
     */
    public ChildProcess startServer(String name, int port) {
        ChildProcess server = launchServer(name, port);
        if (!server.awaitLog(Pattern.compile("server ready"), Duration.ofMinutes(3))) {
            throw server.notStarted("codedeploy server " + name);
        }
        return server;
    }

    /** Starts one more server process as {@link #startServer} does, without waiting until it is ready. */
    public ChildProcess launchServer(String name, int port) {
        ChildProcess server = ChildProcess.start(name, "dev.codedeploy.cli.CodeDeployCli",
                List.of("server", "--config", configFile.toString(), "--metrics-port", "0", "--metrics-host", "127.0.0.1",
                        "--api-port", Integer.toString(port)),
                concat(List.of("-Xmx512m", "-Dcodedeploy.log=INFO"), options.jitOptions()), dir.resolve("logs").resolve(name + ".log"));
        controlPlanes.add(server);
        return server;
    }

    private void startAgents() {
        long t0 = System.nanoTime();
        launcher = new AgentLauncher(dir.resolve("agents"), concat(List.of("-Xmx160m", "-XX:+UseSerialGC", "-Xss512k",
                "-Dzookeeper.admin.enableServer=false"), options.jitOptions()));
        for (Region region : regions.values()) {
            List<String> hosts = new ArrayList<>(List.of(region.name() + "-seeder"));
            for (int i = 1; i <= options.agentsPerRegion(); i++) {
                hosts.add(region.name() + "-host-" + i);
            }
            enroll(region, hosts);
            agents.add(launcher.start(agentConfig(region, hosts.get(0)), true, null));
            for (String host : hosts.subList(1, hosts.size())) {
                agents.add(launcher.start(agentConfig(region, host), false, null));
            }
        }
        say("%d host agents and %d seeders started in %.1f s (each its own process)", hostIds().size(), regions.size(),
                (System.nanoTime() - t0) / 1e9);
    }

    /** Enrolls {@code hosts} of {@code region} as an operator does: {@code codedeploy hosts enroll}. */
    private void enroll(Region region, List<String> hosts) {
        List<String> args = new ArrayList<>(List.of("hosts", "enroll", "-c", configFile.toString(), "-r", region.name()));
        args.addAll(hosts);
        java.io.StringWriter output = new java.io.StringWriter();
        picocli.CommandLine cli = CodeDeployCli.commandLine();
        cli.setOut(new java.io.PrintWriter(output, true));
        cli.setErr(new java.io.PrintWriter(output, true));
        if (cli.execute(args.toArray(String[]::new)) != CodeDeployCli.OK) {
            throw new IllegalStateException("enrolling the hosts of " + region.name() + " failed: " + output);
        }
    }

    AgentConfig agentConfig(Region region, String host) {
        PeerNetworkConfig bt = new PeerNetworkConfig("127.0.0.1", null, freePort(), Duration.ofMillis(500), null, null,
                Duration.ofMinutes(2), null, Duration.ofSeconds(20), null, null);
        ZooKeeperConfig zk = new ZooKeeperConfig(region.zooKeeper().connectString(), Duration.ofSeconds(10), null, null, null);
        return new AgentConfig(host, ENVIRONMENT, region.name(), dir.resolve("hosts").resolve(host).toString(),
                ReleaseKeys.encode(keys.getPublic()), zk, HostEnrollment.password(HOST_SECRET, host), region.bucket(),
                AgentConfig.Distribution.P2P, bt, new InstallConfig(2, 64L), Duration.ofSeconds(2), Duration.ofMillis(500));
    }

    /** The ids of the host agents (seeders excluded). */
    public List<String> hostIds() {
        return agents.stream().filter(a -> !a.seeder()).map(AgentProcess::host).toList();
    }

    /** A facade over the sandbox's configuration (the control plane embedded in the caller). */
    public CodeDeploy codeDeploy() {
        return CodeDeploy.open(configFile);
    }

    /** A client of the first server's API, with the sandbox's token. */
    public CodeDeployClient client() {
        return CodeDeployClient.create(URI.create(apiUrl()), token);
    }

    /** A client of the API on {@code port} (another server of {@link #startServer}). */
    public CodeDeployClient client(int port) {
        return CodeDeployClient.create(URI.create("http://127.0.0.1:" + port), token);
    }

    /** The sandbox's API token (scope admin): what a client, the Jenkins step or the Action holds besides {@link #apiUrl()}. */
    public String token() {
        return token;
    }

    /** The first server's API, {@code http://127.0.0.1:PORT}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    /** The client configuration: the API's URL and the sandbox's token, nothing else. */
    public Path clientConfigFile() {
        return clientConfigFile;
    }

    /** The first server's API port. */
    int apiPort() {
        return apiPort;
    }

    /** The token's hash, for the server's configuration. */
    String tokenHash() {
        return ApiTokens.hash(token);
    }

    /** A port nobody listens on now. */
    public static int freeLoopbackPort() {
        return freePort();
    }

    /** A client of the master blob store (the caller closes it). */
    public S3BlobStore masterStore() {
        return new S3BlobStore("master", BlobStoreConfig.of(masterS3.endpoint(), "codedeploy-master", EmbeddedS3.ACCESS_KEY,
                EmbeddedS3.SECRET_KEY));
    }

    /** The configuration file. */
    public Path configFile() {
        return configFile;
    }

    /** The sample repository. */
    public SampleRepository repo() {
        return repo;
    }

    /** The sample repository's git URL. */
    public String repoUrl() {
        return git.urlOf("sample");
    }

    /** The regions. */
    public Map<String, Region> regions() {
        return regions;
    }

    /** The agent processes. */
    public List<AgentProcess> agents() {
        return agents;
    }

    /** The first control-plane process. */
    public ChildProcess server() {
        return controlPlanes.get(0);
    }

    /** The shape. */
    public SandboxOptions options() {
        return options;
    }

    String databaseUrl() {
        return databaseUrl;
    }

    EmbeddedS3 masterS3() {
        return masterS3;
    }

    EmbeddedZooKeeper masterZooKeeper() {
        return masterZooKeeper;
    }

    KeyPair keys() {
        return keys;
    }

    Path dir() {
        return dir;
    }

    private void say(String format, Object... args) {
        out.println(String.format(java.util.Locale.ROOT, format, args));
        out.flush();
    }

    private <T extends AutoCloseable> T keep(T server) {
        servers.add(server);
        return server;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the agents, the server process and every embedded server. */
    @Override
    public void close() {
        agents.forEach(AgentProcess::close);
        controlPlanes.forEach(s -> s.terminate(Duration.ofSeconds(20)));
        for (int i = servers.size() - 1; i >= 0; i--) {
            try {
                servers.get(i).close();
            } catch (Exception ignored) {
                // keep stopping the rest
            }
        }
    }
}
