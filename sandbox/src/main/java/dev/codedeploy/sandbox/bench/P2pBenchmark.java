package dev.codedeploy.sandbox.bench;

import dev.codedeploy.agent.AgentConfig;
import dev.codedeploy.agent.install.InstallConfig;
import dev.codedeploy.agent.p2p.PeerNetworkConfig;
import dev.codedeploy.agent.zk.AgentZooKeeper;
import dev.codedeploy.blob.BlobStoreConfig;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.config.ZooKeeperConfig;
import dev.codedeploy.testing.EmbeddedS3;
import dev.codedeploy.testing.EmbeddedZooKeeper;
import dev.codedeploy.testing.ReleaseFixture;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.release.PeerAddress;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.AgentLauncher;
import dev.codedeploy.sandbox.cluster.AgentProcess;
import dev.codedeploy.sandbox.cluster.S3ServerMain;
import dev.codedeploy.sandbox.cluster.Shell;
import dev.codedeploy.sandbox.cluster.VethNetwork;
import dev.codedeploy.sandbox.cluster.Wait;
import dev.codedeploy.sandbox.scenario.ScenarioContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;

/**
 * {@code bench p2p}: {@code hosts} agents, each in its own network namespace behind a veth link limited to
 * {@code mbit} Mbit/s each way, and an origin namespace behind the same limit holding the regional blob store and the
 * seeder. An artifact of {@code sizeMb} MiB is published (download only) and timed until every host reports it
 * VERIFIED (downloaded, sha256 checked, installed): (a) with bt, (b) with every host downloading it from the blob store
 * ({@code distribution: blob}). The bound for (a) is max(F/u_s, N F/(u_s + N u)) (Kurose and Ross).
 * Needs root. Options: {@code hosts} (12), {@code sizeMb} (128), {@code mbit} (50), {@code piecesPerPeer}, {@code seederSlots} and
 * {@code superSeed} (the agents' defaults), {@code uploadMbit} (every agent's {@code bt.maxUploadMbps}; default none), {@code seeders} (1; the others each in a namespace of its own behind the same link, reading the
 * origin's blob store; the bound counts their upload together), {@code pieceKb} (the builders' choice by size), {@code warmupMb} (32) and {@code warmups} (2: untimed builds of that size
 * first, so that the timed one meets warm JVMs as a fleet of long-running agents does; the RESULT's {@code p2p_jit_cpu_s} says
 * what compilation still cost during the timed run; {@code warmupMb=0}: none), {@code agentJvmOptions} (extra JVM options of the agents, space-separated, for diagnosis), {@code modes}
 * ({@code p2p,blob}; {@code p2p} skips the client-server run while tuning).
 */
public final class P2pBenchmark implements Benchmark {

    private static final Duration PATIENCE = Duration.ofMinutes(15);
    private static final int S3_PORT = 9000;

    @Override
    public String name() {
        return "p2p";
    }

    @Override
    public String description() {
        return "time for N rate-limited hosts to verify an artifact, bt vs. all from the blob store (needs root)";
    }

    @Override
    public Result run(ScenarioContext context) throws Exception {
        int n = context.intOption("hosts", 12);
        int sizeMb = context.intOption("sizeMb", 128);
        int mbit = context.intOption("mbit", 50);
        int seeders = context.intOption("seeders", 1);
        if (seeders < 1 || seeders > 8) {
            throw new IllegalArgumentException("seeders is " + seeders + ": 1 to 8");
        }
        if (context.options().containsKey("pieceKb")) {
            System.setProperty("codedeploy.fixture.pieceSize", Integer.toString(context.intOption("pieceKb", 1024) * 1024));
        }
        if (!Shell.isRoot()) {
            context.say("bench p2p needs root: it creates network namespaces, veth links and tc qdiscs. Run it as root.");
            return Result.bench(name()).ok(false).put("error", "needs_root");
        }
        List<AgentProcess> processes = new ArrayList<>();
        Process s3 = null;
        // seeders after the first live in namespaces of their own after the hosts', behind the same link
        try (VethNetwork network = VethNetwork.create(n + seeders - 1);
             EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(context.workDir().resolve("zookeeper"))) {
            context.say("network: bridge %s, origin %s, %d host namespaces and %d for more seeders", network.bridgeAddress(),
                    network.originAddress(), n, seeders - 1);
            s3 = startS3(network, context.workDir().resolve("s3"));
            BlobStoreConfig bucket = BlobStoreConfig.of(URI.create("http://" + network.originAddress() + ":" + S3_PORT), "builds-bench",
                    EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY);
            String zkConnect = network.bridgeAddress() + ":" + zooKeeper.port();
            try (S3BlobStore store = awaitStore(bucket); CuratorFramework zk = AgentZooKeeper.connect(ZooKeeperConfig.of(zkConnect))) {
                ReleaseFixture releases = new ReleaseFixture(store, ReleaseKeys.generate(), "bench-p2p", context.workDir().resolve("builds"));
                ReleaseFixture.Build p2pBuild = build(releases, 1, sizeMb, context.workDir());
                ReleaseFixture.Build blobBuild = build(releases, 2, sizeMb, context.workDir());
                int warmupMb = context.intOption("warmupMb", 32);
                int warmups = warmupMb > 0 ? context.intOption("warmups", 2) : 0;
                List<ReleaseFixture.Build> p2pWarmups = new ArrayList<>();
                List<ReleaseFixture.Build> blobWarmups = new ArrayList<>();
                for (int i = 0; i < warmups; i++) {
                    p2pWarmups.add(build(releases, 10 + i, warmupMb, context.workDir()));
                    blobWarmups.add(build(releases, 20 + i, warmupMb, context.workDir()));
                }
                network.limit(mbit);
                context.say("artifacts of %d MiB stored; every link limited to %d Mbit/s each way", sizeMb, mbit);
                List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC"));
                // for diagnosis, such as -Dlogback.configurationFile=/path/to/debug.xml
                String extra = context.option("agentJvmOptions", "").trim();
                if (!extra.isEmpty()) {
                    jvm.addAll(List.of(extra.split("\\s+")));
                }
                AgentLauncher launcher = new AgentLauncher(context.workDir().resolve("agents"), jvm);
                Setup setup = new Setup(network, launcher, store, releases, zk, zkConnect, bucket, context.workDir(), n, seeders,
                        context.options().containsKey("piecesPerPeer") ? context.intOption("piecesPerPeer", 1) : null,
                        context.options().containsKey("seederSlots") ? context.intOption("seederSlots", 4) : null,
                        context.options().containsKey("uploadMbit") ? context.intOption("uploadMbit", mbit) : null,
                        context.options().containsKey("superSeed") ? Boolean.valueOf(context.option("superSeed", "true")) : null, processes);

                Timing p2pTiming = setup.timeDistribution(p2pWarmups, p2pBuild, AgentConfig.Distribution.P2P, context);
                double p2p = p2pTiming.seconds();
                setup.stopAll();
                // skipping the client-server run (modes=p2p) helps when tuning; the RESULT then has no comparison
                boolean both = !"p2p".equals(context.option("modes", "p2p,blob"));
                double clientServer = both ? setup.timeDistribution(blobWarmups, blobBuild, AgentConfig.Distribution.BLOB, context).seconds()
                        : Double.NaN;
                setup.stopAll();

                double fileMbit = sizeMb * 8.0 * 1024 * 1024 / 1_000_000;
                // the seeders together upload seeders * mbit
                double seeding = (double) seeders * mbit;
                double bound = Math.max(fileMbit / seeding, n * fileMbit / (seeding + (double) n * mbit));
                context.say("p2p %.1f s, client-server %.1f s, bound %.1f s", p2p, clientServer, bound);
                return Result.bench(name()).put("hosts", n).put("seeders", seeders).put("size_mb", sizeMb).put("p2p_s", p2p).put("client_server_s", clientServer)
                        .put("bound_s", bound).put("p2p_over_bound", p2p / bound).put("speedup", clientServer / p2p)
                        .put("p2p_jit_cpu_s", p2pTiming.compilerCpuSeconds());
            }
        } finally {
            processes.forEach(AgentProcess::close);
            if (s3 != null) {
                s3.destroyForcibly();
            }
        }
    }

    private static ReleaseFixture.Build build(ReleaseFixture releases, long id, int sizeMb, Path work) throws Exception {
        Path folder = work.resolve("artifact-" + id);
        java.nio.file.Files.createDirectories(folder);
        Path file = folder.resolve("artifact");
        Random random = new Random(id);
        byte[] buffer = new byte[1 << 20];
        try (var out = java.nio.file.Files.newOutputStream(file)) {
            for (int i = 0; i < sizeMb; i++) {
                random.nextBytes(buffer);
                out.write(buffer);
            }
        }
        return releases.upload(id, file, "FILE", "app.bin", null);
    }

    private static Process startS3(VethNetwork network, Path data) throws Exception {
        List<String> command = List.of("ip", "netns", "exec", network.originNamespace(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                S3ServerMain.class.getName(), data.toString(), network.originAddress(), Integer.toString(S3_PORT));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(data.resolveSibling("s3.log").toFile()).start();
        AgentLauncher.killOnExit(process);
        return process;
    }

    private static S3BlobStore awaitStore(BlobStoreConfig bucket) throws Exception {
        S3BlobStore store = new S3BlobStore("origin", bucket);
        AtomicReference<RuntimeException> lastError = new AtomicReference<>();
        boolean up = Wait.until(Duration.ofSeconds(60), () -> {
            try {
                store.createBucketIfMissing();
                return true;
            } catch (RuntimeException notYet) {
                lastError.set(notYet);
                return false;
            }
        });
        if (!up) {
            store.close();
            throw new IllegalStateException("the origin's S3 did not come up: " + lastError.get().getMessage(), lastError.get());
        }
        return store;
    }

    /** Starts agents for one way of distributing, publishes, and times it. */
    private record Setup(VethNetwork network, AgentLauncher launcher, S3BlobStore store, ReleaseFixture releases, CuratorFramework zk, String zkConnect,
                         BlobStoreConfig bucket, Path work, int hosts, int seeders, Integer piecesPerPeer, Integer seederSlots, Integer uploadMbit,
                         Boolean superSeed, List<AgentProcess> processes) {

        /**
         * Each way of distributing has an environment of its own, so that its agents see only its release. The
         * {@code warmups} (maybe none) go first, untimed: agents are long-running daemons, and the timed build should
         * not pay their JVMs' first compilation of the data path.
         */
        Timing timeDistribution(List<ReleaseFixture.Build> warmups, ReleaseFixture.Build build, AgentConfig.Distribution distribution,
                                ScenarioContext context) throws Exception {
            String mode = distribution.name().toLowerCase(java.util.Locale.ROOT);
            String environment = "bench-" + mode;
            ReleaseFixture publisher = new ReleaseFixture(store, releases.keys(), environment, work.resolve("builds"));
            if (distribution == AgentConfig.Distribution.P2P) {
                processes.add(launcher.start(config("seeder", network.originAddress(), distribution, mode), true, network.originNamespace()));
                for (int i = 2; i <= seeders; i++) {
                    int slot = hosts + i - 1;
                    processes.add(launcher.start(config("seeder-" + i, network.hostAddress(slot), distribution, mode), true,
                            network.hostNamespace(slot)));
                }
            }
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= hosts; i++) {
                String host = "host-" + i;
                names.add(host);
                processes.add(launcher.start(config(host, network.hostAddress(i), distribution, mode), false, network.hostNamespace(i)));
            }
            if (!await(environment, names, s -> true, Duration.ofMinutes(3))) {
                throw new IllegalStateException("the agents did not all register; see " + work.resolve("agents"));
            }
            int version = 1;
            List<Long> pids = processes.stream().map(AgentProcess::pid).toList();
            for (ReleaseFixture.Build warmup : warmups) {
                context.say("%s: %d agents ready; publishing the warm-up build %d", mode, hosts, warmup.buildId());
                Timing warm = distribute(publisher, environment, names, pids, warmup, version++, mode + ": the warm-up build");
                context.say("%s: warm-up build %d verified everywhere after %.1f s (JIT compilers: %.1f s of CPU)", mode, warmup.buildId(),
                        warm.seconds(), warm.compilerCpuSeconds());
            }
            if (!warmups.isEmpty()) {
                // a fleet deploys every half hour or so: its agents have left the builds before the last (seeded
                // for seedAfter, 1 s here) instead of keeping three swarms busy as back-to-back warm-ups would
                List<String> everyone = processes.stream().map(AgentProcess::host).toList();
                if (!Wait.until(Duration.ofSeconds(60), () -> everyone.stream().allMatch(host -> servesAtMostOneBuild(environment, host)))) {
                    throw new IllegalStateException(mode + ": the agents still serve earlier warm-up builds after 60 s");
                }
                double waited = CompilerCpu.awaitQuiet(pids, 0.1, Duration.ofSeconds(120));
                context.say("%s: the agents' JIT compilers drained their queues in %.0f s", mode, waited);
            }
            context.say("%s: %d agents ready; publishing build %d", mode, hosts, build.buildId());
            Timing timed = distribute(publisher, environment, names, pids, build, version, mode + ": build " + build.buildId());
            context.say("%s: every host verified build %d after %.1f s (the agents' JIT compilers used %.1f s of CPU meanwhile)", mode,
                    build.buildId(), timed.seconds(), timed.compilerCpuSeconds());
            return timed;
        }

        /** Publishes {@code build} as {@code version} and waits until every host verified it; {@code what} names it in an error. */
        private Timing distribute(ReleaseFixture publisher, String environment, List<String> names, List<Long> pids, ReleaseFixture.Build build,
                                  int version, String what) throws Exception {
            double compilerBefore = CompilerCpu.seconds(pids);
            long start = System.nanoTime();
            publisher.publish(zk, publisher.release(build, version, -1, null));
            if (!await(environment, names, s -> s.state() == HostState.VERIFIED && s.targetBuildId() != null
                    && s.targetBuildId() == build.buildId(), PATIENCE)) {
                throw new IllegalStateException(what + " was not verified by every host within " + PATIENCE);
            }
            return new Timing((System.nanoTime() - start) / 1e9, CompilerCpu.seconds(pids) - compilerBefore);
        }

        private AgentConfig config(String host, String address, AgentConfig.Distribution distribution, String mode) {
            PeerNetworkConfig bt = new PeerNetworkConfig(address, null, 6881, Duration.ofMillis(500), null, null, Duration.ofSeconds(1),
                    null, Duration.ofMinutes(2), piecesPerPeer, seederSlots, uploadMbit, superSeed);
            return new AgentConfig(host, "bench-" + mode, "bench", work.resolve(mode).resolve(host).toString(), releases.publicKeyText(),
                    ZooKeeperConfig.of(zkConnect), null, bucket, distribution, bt, new InstallConfig(1, 0L), Duration.ofSeconds(5),
                    Duration.ofSeconds(1));
        }

        private boolean await(String environment, List<String> names, java.util.function.Predicate<HostStatus> condition, Duration timeout)
                throws Exception {
            return Wait.until(timeout, () -> names.stream().map(host -> status(environment, host))
                    .allMatch(status -> status != null && condition.test(status)));
        }

        private boolean servesAtMostOneBuild(String environment, String host) {
            try {
                byte[] node = zk.getData().forPath(ZkLayout.hostPeer(environment, host));
                return PeerAddress.fromBytes(node, host).builds().size() <= 1;
            } catch (Exception e) {
                return false;
            }
        }

        private HostStatus status(String environment, String host) {
            try {
                return HostStatus.fromBytes(zk.getData().forPath(ZkLayout.hostStatus(environment, host)), host);
            } catch (Exception e) {
                return null;
            }
        }

        void stopAll() {
            processes.forEach(AgentProcess::stop);
            processes.clear();
        }
    }

    /** A timed distribution: its wall time, and the CPU the agents' JIT compilers used during it. */
    private record Timing(double seconds, double compilerCpuSeconds) {
    }
}
