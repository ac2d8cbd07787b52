package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.agent.AgentConfig;
import dev.codedeploy.agent.install.InstallConfig;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.AgentRegion;
import dev.codedeploy.sandbox.cluster.Shell;
import dev.codedeploy.testing.ReleaseFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code hostile-archive}: hosts running a good release are sent, one after the other, a signed release of each of
 * these archives: a sparse file (PAX format) that expands past the archive's own size; a GNU sparse "tar bomb" of
 * 4 GiB from a few KB; a chain of links that each stay inside the release folder but together climb out of it; and
 * more entries than {@code install.maxEntries}. Each must be refused for good (recorded as a failed build, not
 * retried), nothing may be written or linked outside a release folder, {@code current} stays the good release, and
 * the next good release must reach every host. Options: {@code hosts} (2), {@code maxEntries} (500).
 */
public final class HostileArchiveScenario implements Scenario {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @Override
    public String name() {
        return "hostile-archive";
    }

    @Override
    public String description() {
        return "sparse entries, a tar bomb, link chains, too many entries: each refused for good, nothing escapes";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        List<String> hosts = AgentHosts.names(ctx.intOption("hosts", 2));
        int maxEntries = ctx.intOption("maxEntries", 500);
        try (AgentRegion region = AgentRegion.start(ctx.workDir().resolve("region"))) {
            region.start(region.config("seeder", region.dataDir("seeder")), true);
            for (String host : hosts) {
                AgentHosts.start(region, withMaxEntries(region.config(host, region.dataDir(host)), maxEntries));
            }
            ReleaseFixture.Build v1 = region.releases().appTar(1, "v1", 0, 1 << 20, null);
            region.publish(region.releases().release(v1, 1, 3, null));
            if (!region.await(hosts, AgentRegion.in(HostState.HEALTHY, 1), PATIENCE)) {
                ctx.say("v1 did not reach every host: %s", region.statuses(hosts));
                return Result.scenario(name()).ok(false).put("escaped", -1).put("retried_forever", "unknown");
            }
            ctx.say("%d hosts run v1; each with install.maxEntries %d", hosts.size(), maxEntries);

            Path folder = Files.createDirectories(ctx.workDir().resolve("archives"));
            Map<String, Path> archives = new LinkedHashMap<>();
            archives.put("sparse entries (PAX) past the archive's size", sparse(folder, "posix", 64L << 20));
            archives.put("a GNU sparse tar bomb of 4 GiB", sparse(folder, "gnu", 4L << 30));
            archives.put("a chain of links climbing out", tar(folder.resolve("chain.tar"), List.of(
                    new String[] {"dir", "a/", ""}, new String[] {"link", "a/b", "."}, new String[] {"link", "up", "a/b/../.."},
                    new String[] {"link", "escaped-chain", "up/escaped-chain"})));
            List<String[]> many = new ArrayList<>();
            for (int i = 0; i <= maxEntries; i++) {
                many.add(new String[] {"file", "f" + i, "x"});
            }
            archives.put("more entries than install.maxEntries", tar(folder.resolve("many.tar"), many));

            long build = 10;
            long version = 2;
            int refused = 0;
            boolean final_ = true;
            for (Map.Entry<String, Path> archive : archives.entrySet()) {
                build++;
                // stored as a builder stores it: a file named artifact
                Path artifact = Files.createDirectories(folder.resolve("build-" + build)).resolve("artifact");
                Files.copy(archive.getValue(), artifact);
                ReleaseFixture.Build hostile = region.releases().upload(build, artifact, "TAR", "dist", null);
                region.publish(region.releases().release(hostile, version++, 3, 1L));
                long b = build;
                boolean failed = region.await(hosts, s -> s != null && s.state() == HostState.FAILED && s.targetBuildId() != null
                        && s.targetBuildId() == b && s.error() != null && s.error().contains("nothing was installed"), PATIENCE);
                HostStatus status = region.status(hosts.get(0));
                boolean recorded = hosts.stream().allMatch(h -> failedForGood(region.dataDir(h), b));
                refused += failed ? 1 : 0;
                final_ &= recorded;
                ctx.say("%-48s %s, not retried: %s; %s", archive.getKey(), failed ? "refused" : "NOT refused", recorded,
                        status == null ? "" : status.error());
            }

            long escaped = 0;
            for (String host : hosts) {
                Path data = region.dataDir(host);
                escaped += escapes(data);
                if (!"v1".equals(AgentHosts.serving(data))) {
                    escaped++;
                    ctx.say("%s no longer serves v1", host);
                }
            }
            ReleaseFixture.Build v2 = region.releases().appTar(2, "v2", 0, 1 << 20, null);
            region.publish(region.releases().release(v2, version, 3, 1L));
            boolean next = region.await(hosts, AgentRegion.in(HostState.HEALTHY, 2), PATIENCE);
            ctx.say("refused: %d of %d; written or linked outside a release folder: %d; v2 then on every host: %s", refused,
                    archives.size(), escaped, next);
            return Result.scenario(name()).ok(refused == archives.size() && escaped == 0 && final_ && next)
                    .put("escaped", escaped).put("retried_forever", !final_);
        }
    }

    /** The agent recorded the build as failed for good: it is not downloaded or unpacked again while named. */
    private static boolean failedForGood(Path dataDir, long build) {
        try {
            return dev.codedeploy.json.Json.MAPPER.readTree(dataDir.resolve("state.json").toFile()).path("failedBuilds")
                    .path(Long.toString(build)).path("state").asText().equals("FAILED");
        } catch (IOException e) {
            return false;
        }
    }

    /** Files named escaped-* anywhere under the host's folder but inside no release, and links of releases that leave them. */
    private static long escapes(Path dataDir) throws IOException {
        long found = 0;
        try (Stream<Path> all = Files.walk(dataDir.getParent())) {
            for (Path p : all.toList()) {
                if (p.getFileName().toString().startsWith("escaped")) {
                    found++;
                }
            }
        }
        Path releases = dataDir.resolve("releases");
        try (Stream<Path> all = Files.walk(releases)) {
            for (Path p : all.filter(Files::isSymbolicLink).toList()) {
                Path release = releases.resolve(releases.relativize(p).getName(0));
                try {
                    if (!p.toRealPath().startsWith(release.toRealPath())) {
                        found++;
                    }
                } catch (IOException dangling) {
                    // points at nothing
                }
            }
        }
        return found;
    }

    /** A tar made by GNU tar of one sparse file of {@code size} bytes holding 4 bytes of data. */
    private static Path sparse(Path folder, String format, long size) throws IOException, InterruptedException {
        Path source = Files.createDirectories(folder.resolve("sparse-" + format));
        try (RandomAccessFile file = new RandomAccessFile(source.resolve("hole.bin").toFile(), "rw")) {
            file.setLength(size);
            file.seek(size / 2);
            file.write("data".getBytes(StandardCharsets.UTF_8));
        }
        Path tar = folder.resolve("sparse-" + format + ".tar");
        Shell.run(List.of("tar", "--sparse", "--format=" + format, "-cf", tar.toString(), "-C", source.toString(), "hole.bin"));
        Files.delete(source.resolve("hole.bin"));
        return tar;
    }

    /** A tar of (type, name, content or link target) entries. */
    private static Path tar(Path file, List<String[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String[] e : entries) {
                TarArchiveEntry entry;
                switch (e[0]) {
                    case "dir" -> entry = new TarArchiveEntry(e[1], TarArchiveEntry.LF_DIR);
                    case "link" -> {
                        entry = new TarArchiveEntry(e[1], TarArchiveEntry.LF_SYMLINK);
                        entry.setLinkName(e[2]);
                    }
                    default -> {
                        entry = new TarArchiveEntry(e[1]);
                        entry.setSize(e[2].length());
                        entry.setMode(0100644);
                    }
                }
                tar.putArchiveEntry(entry);
                if (e[0].equals("file")) {
                    tar.write(e[2].getBytes(StandardCharsets.UTF_8));
                }
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    private static AgentConfig withMaxEntries(AgentConfig c, int maxEntries) {
        return new AgentConfig(c.hostId(), c.environment(), c.region(), c.dataDir(), c.releasePublicKey(), c.zooKeeper(), c.hostPassword(),
                c.blobStore(), c.distribution(), c.bt(), new InstallConfig(c.install().keepReleases(), c.install().reserveMb(), maxEntries),
                c.retryInterval(), c.progressInterval(), c.zone(), c.rack(), c.releasePublicKeys(), c.maxReleaseAge(), c.hookEnvironment());
    }
}
