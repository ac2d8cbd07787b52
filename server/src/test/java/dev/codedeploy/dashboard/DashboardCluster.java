package dev.codedeploy.dashboard;

import dev.codedeploy.api.ApiServer;
import dev.codedeploy.api.ApiTokens;
import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.database.Database;
import dev.codedeploy.database.DatabaseConfig;
import dev.codedeploy.deploys.DeployConductor;
import dev.codedeploy.deploys.Deploys;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.EmbeddedZooKeeper;
import dev.codedeploy.testing.SimulatedBuilds;
import dev.codedeploy.testing.SimulatedHost;
import dev.codedeploy.testing.TestServers;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A codedeploy server in this JVM serving the API and the dashboard over real servers: a database, a master bucket,
 * a master ZooKeeper and one per region, a control plane with region sync and rollout driver, and a deploy
 * conductor; simulated hosts of two environments in every region; three people's tokens (read, deploy, admin). There are no builder
 * workers and no replicator: a test moves a deploy's build on itself ({@link #buildNext}, {@link #replicate}), so it
 * sees each stage on the page before the next one starts.
 */
final class DashboardCluster implements AutoCloseable {

    static final String ENVIRONMENT = "production";
    /** An environment whose waves bake for ten minutes: a rollout there stays in flight for the length of a test. */
    static final String STAGING = "staging";
    static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-south");
    /** The tokens' holders: one token per person, as docs/security.md asks. */
    static final String READER = "rita";
    static final String DEPLOYER = "dev";
    static final String ADMIN = "ada";

    final Map<String, String> tokens = new LinkedHashMap<>();
    final String url;
    private final KeyPair keys = ReleaseKeys.generate();
    private final Map<String, EmbeddedZooKeeper> zooKeepers = new LinkedHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Database database;
    private final S3BlobStore blobs;

    /**
     * @param hostsPerRegion simulated hosts of each environment in each region
     * @param bakeTime       how long each wave bakes before the next opens
     */
    DashboardCluster(int hostsPerRegion, Duration bakeTime) throws IOException {
        tokens.put(READER, ApiTokens.generate());
        tokens.put(DEPLOYER, ApiTokens.generate());
        tokens.put(ADMIN, ApiTokens.generate());
        zooKeepers.put("master", EmbeddedZooKeeper.start(EmbeddedServers.newFolder("dashboard-zk-master")));
        for (String region : REGIONS) {
            zooKeepers.put(region, EmbeddedZooKeeper.start(EmbeddedServers.newFolder("dashboard-zk-" + region)));
        }
        String databaseUrl = EmbeddedServers.newDatabase("dashboard");
        BlobStoreConfig master = TestServers.newBucketConfig();
        StringBuilder yaml = new StringBuilder();
        yaml.append("database: {url: \"").append(databaseUrl).append("\", user: root, password: \"\"}\n")
                .append(bucket("blobStore", master, ""))
                .append("zooKeeper: {connectString: \"").append(zooKeepers.get("master").connectString()).append("\"}\n")
                .append("regions:\n");
        for (String region : REGIONS) {
            yaml.append("  - name: ").append(region).append('\n').append(bucket("blobStore", TestServers.newBucketConfig(), "    "))
                    .append("    zooKeeper: {connectString: \"").append(zooKeepers.get(region).connectString()).append("\"}\n");
        }
        yaml.append("""
                rollout:
                  signingKey: %s
                  publicKey: %s
                  checkInterval: 200ms
                  pollInterval: 500ms
                  environments:
                    production: {waves: [10, 50, 100], bakeTime: %dms, maxUnavailable: 100}
                    staging: {waves: [10, 50, 100], bakeTime: 10m, maxUnavailable: 100}
                deploys: {pollInterval: 100ms, lease: 2s}
                defaults: {environment: production, repoUrl: "https://example.com/shop/app.git"}
                api:
                  tokens:
                """.formatted(ReleaseKeys.encode(keys.getPrivate()), ReleaseKeys.encode(keys.getPublic()), bakeTime.toMillis()));
        yaml.append("    - {name: ").append(READER).append(", scope: read, hash: \"").append(ApiTokens.hash(tokens.get(READER))).append("\"}\n");
        yaml.append("    - {name: ").append(DEPLOYER).append(", scope: deploy, hash: \"").append(ApiTokens.hash(tokens.get(DEPLOYER))).append("\"}\n");
        yaml.append("    - {name: ").append(ADMIN).append(", scope: admin, hash: \"").append(ApiTokens.hash(tokens.get(ADMIN))).append("\"}\n");
        Path file = EmbeddedServers.newFolder("dashboard-config").resolve("codedeploy.yml");
        Files.writeString(file, yaml);
        CodeDeployConfig config = ConfigLoader.load(file);

        database = keep(Database.open(new DatabaseConfig(databaseUrl, "root", "", 8)));
        blobs = keep(TestServers.newBlobStore("master", config.blobStore()));
        RolloutControlPlane plane = keep(RolloutControlPlane.of(config, database, blobs,
                EnumSet.of(RolloutControlPlane.Role.REGION_SYNC, RolloutControlPlane.Role.DRIVER)));
        plane.start();
        DeployGate gate = new DeployGate(database, Set.copyOf(REGIONS));
        Deploys deploys = new Deploys(database, config.deploys(), config.environments(), config.defaults(),
                env -> plane.locks().current(env).map(dev.codedeploy.rollout.DeployLock::describe));
        keep(DeployConductor.of(database, plane, gate, config.deploys(), "dashboard-conductor")).start();
        ApiServer api = keep(new ApiServer(config.api().with(0, config.api().tokens()), deploys, new JobQueue(database, config.queue()), gate,
                blobs, plane, Duration.ofMillis(100)));
        api.extend(new Dashboard());
        api.start();
        url = "http://127.0.0.1:" + api.port();
        for (String region : REGIONS) {
            for (int i = 1; i <= hostsPerRegion; i++) {
                host(region, ENVIRONMENT, region + "-web-" + i);
                host(region, STAGING, region + "-stg-" + i);
            }
        }
    }

    /** A healthy host of {@code environment}: the regions have no ACLs, so it makes open nodes, as an agent there does. */
    private void host(String region, String environment, String host) {
        keep(new SimulatedHost(new ZooKeeperConfig(zooKeepers.get(region).connectString(), Duration.ofSeconds(10), null, null, null),
                null, region, environment, host, keys.getPublic(), SimulatedHost.Behaviour.HEALTHY));
    }

    private static String bucket(String key, BlobStoreConfig b, String indent) {
        return indent + key + ": {endpoint: \"" + b.endpoint() + "\", bucket: " + b.bucket() + ", accessKey: " + b.accessKey()
                + ", secretKey: " + b.secretKey() + ", pathStyle: true}\n";
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /** A client of the API as {@code person}. */
    CodeDeployClient client(String person) {
        return CodeDeployClient.create(URI.create(url), tokens.get(person));
    }

    /** Builds the oldest queued job, as a worker would, with a build log; its id, or empty when none is queued. */
    Optional<Long> buildNext() {
        Optional<Long> built = SimulatedBuilds.buildNext(database, blobs);
        built.flatMap(id -> new JobQueue(database, QueueConfig.DEFAULTS).find(id)).ifPresent(job -> blobs.putBytes(job.logKey(),
                ("$ ./gradlew assemble\n> Task :compileJava\n> Task :jar\nBUILD SUCCESSFUL in 41s\nbuilt " + job.sha() + "\n")
                        .getBytes(StandardCharsets.UTF_8), "text/plain", Map.of()));
        return built;
    }

    /** Records build {@code id} as copied to every region, as the replicator would. */
    void replicate(long id) {
        SimulatedBuilds.replicated(database, id, REGIONS);
    }

    /** The database, for a look at what the API recorded. */
    Database database() {
        return database;
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception ignored) {
                // closing everything
            }
        }
        zooKeepers.values().forEach(EmbeddedZooKeeper::close);
    }
}
