package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.agent.AgentConfig;
import dev.codedeploy.agent.install.InstallConfig;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.testing.ReleaseFixture;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.AgentRegion;
import dev.codedeploy.sandbox.cluster.Shell;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code disk-full}: every host runs v1 from a small disk of its own (a tmpfs of {@code diskMb} MiB, mounted as
 * root; without root the disk is simulated by a reserve that leaves the same room); v2 is larger than the free
 * space. Each host must refuse it before downloading, with an error that says what was needed and what was free,
 * and keep v1 exactly as it was. Options: {@code hosts} (2), {@code diskMb} (48), {@code sizeMb} (64).
 */
public final class DiskFullScenario implements Scenario {

    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Override
    public String name() {
        return "disk-full";
    }

    @Override
    public String description() {
        return "a release larger than the free space: refused with a clear error, the current release untouched";
    }

    @Override
    public Result run(ScenarioContext context) throws Exception {
        int n = context.intOption("hosts", 2);
        int diskMb = context.intOption("diskMb", 48);
        int sizeMb = context.intOption("sizeMb", 64);
        List<String> hosts = AgentHosts.names(n);
        boolean root = Shell.isRoot();
        List<Path> mounts = new ArrayList<>();
        try (AgentRegion region = AgentRegion.start(context.workDir().resolve("region"))) {
            try {
                region.start(region.config("seeder", region.dataDir("seeder")), true);
                for (String host : hosts) {
                    Path data = region.dataDir(host);
                    Files.createDirectories(data);
                    AgentConfig config = region.config(host, data);
                    if (root) {
                        Shell.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + diskMb + "m", "tmpfs", data.toString()));
                        mounts.add(data);
                    } else {
                        long reserveMb = (Files.getFileStore(data).getUsableSpace() >> 20) - diskMb;
                        config = withReserve(config, reserveMb);
                    }
                    AgentHosts.start(region, config);
                }
                context.say(root ? "each host has a tmpfs of %d MiB as its disk" : "not root: each host's disk is simulated by a reserve leaving %d MiB",
                        diskMb);
                return deploy(region, hosts, sizeMb, context);
            } finally {
                region.close();
                for (Path mount : mounts) {
                    Shell.quietly(List.of("umount", "-l", mount.toString()));
                }
            }
        }
    }

    private Result deploy(AgentRegion region, List<String> hosts, int sizeMb, ScenarioContext context) throws Exception {
        ReleaseFixture.Build v1 = region.releases().appTar(1, "v1", 0, 1 << 20, null);
        region.publish(region.releases().release(v1, 1, 3, null));
        if (!region.await(hosts, AgentRegion.in(HostState.HEALTHY, 1), PATIENCE)) {
            context.say("v1 did not reach every host: %s", region.statuses(hosts));
            return Result.scenario(name()).ok(false).put("current_untouched", false).put("clear_error", false);
        }
        List<String> before = new ArrayList<>();
        for (String host : hosts) {
            before.add(fingerprint(region.dataDir(host)));
        }
        context.say("every host runs v1; publishing v2 of %d MiB", sizeMb);
        ReleaseFixture.Build v2 = region.releases().appTar(2, "v2", 0, (long) sizeMb << 20, null);
        region.publish(region.releases().release(v2, 2, 3, 1L));
        region.await(hosts, AgentRegion.in(HostState.FAILED, 2), PATIENCE);
        boolean untouched = true;
        boolean clear = true;
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            Path data = region.dataDir(host);
            HostStatus status = region.status(host);
            String error = status.error() == null ? "" : status.error();
            boolean same = fingerprint(data).equals(before.get(i)) && "v1".equals(AgentHosts.serving(data))
                    && Long.valueOf(1).equals(status.currentBuildId()) && !Files.exists(data.resolve("downloads/2/artifact"));
            boolean understandable = status.state() == HostState.FAILED && error.contains("disk full") && error.contains("needs")
                    && error.contains("free") && error.contains("untouched");
            context.say("%s: %s, current build %s, v1 unchanged %s; error: %s", host, status.state(), status.currentBuildId(), same, error);
            untouched &= same;
            clear &= understandable;
        }
        return Result.scenario(name()).ok(untouched && clear).put("current_untouched", untouched).put("clear_error", clear);
    }

    private static AgentConfig withReserve(AgentConfig c, long reserveMb) {
        return new AgentConfig(c.hostId(), c.environment(), c.region(), c.dataDir(), c.releasePublicKey(), c.zooKeeper(), c.hostPassword(), c.blobStore(),
                c.distribution(), c.bt(), new InstallConfig(c.install().keepReleases(), Math.max(0, reserveMb)), c.retryInterval(),
                c.progressInterval());
    }

    /** The current link and the sha256 of every file of the release it points at. */
    private static String fingerprint(Path data) throws IOException {
        Path link = data.resolve("current");
        Path release = data.resolve(Files.readSymbolicLink(link));
        TreeMap<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(release)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    files.put(release.relativize(file).toString(), FileDigest.sha256(in));
                }
            }
        }
        return Files.readSymbolicLink(link) + " " + files;
    }
}
