package dev.codedeploy.cli;

import dev.codedeploy.api.ApiConfig;
import dev.codedeploy.api.ApiServer;
import dev.codedeploy.api.ApiTokens;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.deploys.DeployConductor;
import dev.codedeploy.deploys.Deploys;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.testing.EmbeddedZooKeeper;
import dev.codedeploy.testing.SimulatedBuilds;
import dev.codedeploy.testing.SimulatedHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A codedeploy server in this JVM for the client commands' tests: the database and master bucket of a
 * {@link CliHarness}, a master and one regional ZooKeeper, a control plane with region sync and driver, a deploy
 * conductor and the API, a deploy token and a client configuration file holding only its URL and that token.
 */
final class ApiHarness implements AutoCloseable {

    static final String ENVIRONMENT = "production";
    static final String REGION = "east";

    final CliHarness cli;
    final Path clientConfig;
    final String token = ApiTokens.generate();
    final String url;
    private final KeyPair keys = ReleaseKeys.generate();
    private final EmbeddedZooKeeper master;
    private final EmbeddedZooKeeper region;
    private final S3BlobStore blobs;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final CodeDeployConfig config;

    ApiHarness(String name) throws Exception {
        master = EmbeddedZooKeeper.start(EmbeddedServers.newFolder(name + "-zk-master"));
        region = EmbeddedZooKeeper.start(EmbeddedServers.newFolder(name + "-zk-east"));
        cli = new CliHarness(name, """
                zooKeeper: {connectString: "%s"}
                regions:
                  - name: east
                    blobStore: {endpoint: "%%2$s", bucket: east-bucket, accessKey: %%4$s, secretKey: %%5$s, pathStyle: true}
                    zooKeeper: {connectString: "%s"}
                rollout:
                  signingKey: %s
                  publicKey: %s
                  checkInterval: 200ms
                  pollInterval: 1s
                  environments:
                    production: {waves: [100], bakeTime: 200ms, maxUnavailable: 100}
                deploys: {pollInterval: 100ms, lease: 2s}
                defaults: {environment: production, repoUrl: "https://example.com/sandbox/app.git"}
                api:
                  tokens:
                    - {name: ci, scope: deploy, hash: "%s"}
                """.formatted(master.connectString(), region.connectString(), ReleaseKeys.encode(keys.getPrivate()),
                ReleaseKeys.encode(keys.getPublic()), ApiTokens.hash(token)));
        config = ConfigLoader.load(cli.config);
        blobs = keep(dev.codedeploy.testing.TestServers.newBlobStore("master", config.blobStore()));
        RolloutControlPlane plane = keep(RolloutControlPlane.of(config, cli.database, blobs,
                EnumSet.of(RolloutControlPlane.Role.REGION_SYNC, RolloutControlPlane.Role.DRIVER)));
        plane.start();
        DeployGate gate = new DeployGate(cli.database, Set.of(REGION));
        Deploys deploys = new Deploys(cli.database, config.deploys(), config.environments(), config.defaults(), env -> java.util.Optional.empty());
        keep(DeployConductor.of(cli.database, plane, gate, config.deploys(), name + "-conductor")).start();
        ApiServer api = keep(new ApiServer(config.api().with(0, config.api().tokens()), deploys, new JobQueue(cli.database,
                config.queue()), gate, blobs, plane, Duration.ofMillis(100)));
        api.start();
        url = "http://127.0.0.1:" + api.port();
        clientConfig = EmbeddedServers.newFolder(name + "-client").resolve("client.yml");
        Files.writeString(clientConfig, new ClientConfig(url, token).toYaml());
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /** A deployable build of {@code sha} from the default repository. */
    long deployableBuild(String sha) {
        return SimulatedBuilds.deployable(cli.database, blobs, List.of(REGION), sha);
    }

    /** A healthy host of the environment (the region is open: the host makes its own node, as an agent there does). */
    void host(String id) {
        keep(new SimulatedHost(new dev.codedeploy.config.ZooKeeperConfig(region.connectString(), Duration.ofSeconds(10), null, null, null),
                null, REGION, ENVIRONMENT, id, keys.getPublic(), SimulatedHost.Behaviour.HEALTHY));
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
        cli.close();
        region.close();
        master.close();
    }
}
