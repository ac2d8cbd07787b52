package dev.codedeploy.sandbox.scenario;

import bt.metainfo.MetadataService;
import bt.metainfo.Torrent;
import dev.codedeploy.agent.p2p.PeerNetwork;
import dev.codedeploy.agent.p2p.PeerNetworkConfig;
import dev.codedeploy.agent.p2p.Swarm;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.testing.ReleaseFixture;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.AgentRegion;
import dev.codedeploy.sandbox.cluster.Wait;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code corrupt-download}: every host runs v1 when v2 is published, in two acts.
 * <ol>
 *   <li>The regional object is altered: the artifact and a torrent made from the altered bytes, so that every piece
 *       checks out against the torrent. The seeder refuses it (sha256); a rogue peer serves it; every host downloads
 *       it, finds that its sha256 is not the signed release's, discards it and reports it.</li>
 *   <li>The object is repaired, and the rogue peer now serves the right torrent with altered bytes in some pieces.
 *       The hosts fetch the torrent again, refuse the rogue's bad pieces (bt checks each piece against the torrent),
 *       get them elsewhere, verify the whole file and switch.</li>
 * </ol>
 * No host may ever switch to bytes that are not v2's. Options: {@code hosts} (3), {@code sizeMb} (24).
 */
public final class CorruptDownloadScenario implements Scenario {

    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @Override
    public String name() {
        return "corrupt-download";
    }

    @Override
    public String description() {
        return "an altered regional object and a peer serving altered pieces: no host switches to corrupt bytes";
    }

    @Override
    public Result run(ScenarioContext context) throws Exception {
        int n = context.intOption("hosts", 3);
        int sizeMb = context.intOption("sizeMb", 24);
        List<String> hosts = AgentHosts.names(n);
        try (AgentRegion region = AgentRegion.start(context.workDir().resolve("region"))) {
            AgentHosts.start(region, hosts, context);
            ReleaseFixture.Build v1 = region.releases().appTar(1, "v1", 0, 1 << 20, null);
            region.publish(region.releases().release(v1, 1, 3, null));
            if (!region.await(hosts, AgentRegion.in(HostState.HEALTHY, 1), PATIENCE)) {
                context.say("v1 did not reach every host: %s", region.statuses(hosts));
                return Result.scenario(name()).ok(false).put("switched_to_corrupt", -1);
            }
            ReleaseFixture.Build v2 = region.releases().appTar(2, "v2", 0, (long) sizeMb << 20, null);
            PeerNetworkConfig rogueConfig = new PeerNetworkConfig("127.0.0.1", null, null, Duration.ofMillis(500), null, null, null, null, null, null, null);
            Path rogueDir = context.workDir().resolve("rogue");
            try (PeerNetwork rogue = new PeerNetwork(withFreePort(rogueConfig), region.zk(), AgentRegion.ENVIRONMENT, "rogue",
                    Clock.systemUTC())) {
                rogue.start();
                boolean detected = actOne(region, hosts, v2, rogue, rogueDir, context);
                int corrupt = countCorrupt(region, hosts, v2);
                actTwo(region, v2, rogue, rogueDir, context);
                boolean switched = region.await(hosts, AgentRegion.in(HostState.HEALTHY, 2), PATIENCE);
                corrupt += countCorrupt(region, hosts, v2);
                for (String host : hosts) {
                    HostStatus status = region.status(host);
                    context.say("%s: %s on build %s, serving %s", host, status.state(), status.currentBuildId(),
                            AgentHosts.serving(region.dataDir(host)));
                }
                return Result.scenario(name()).ok(detected && switched && corrupt == 0).put("switched_to_corrupt", corrupt);
            }
        }
    }

    /** The altered object: every host must download it, refuse it, and stay on v1. */
    private boolean actOne(AgentRegion region, List<String> hosts, ReleaseFixture.Build v2, PeerNetwork rogue, Path rogueDir,
                           ScenarioContext context) throws Exception {
        Path altered = rogueDir.resolve("artifact");
        Files.createDirectories(rogueDir);
        Files.copy(v2.artifact(), altered, StandardCopyOption.REPLACE_EXISTING);
        flipBytes(altered, Files.size(altered) / 2, 64);
        byte[] alteredTorrent = ReleaseFixture.torrent(altered);
        region.store().put(v2.keys().artifact(), altered, Map.of());
        region.store().putBytes(v2.keys().torrent(), alteredTorrent, "application/x-bittorrent", Map.of());
        Swarm rogueSwarm = rogue.join(2, new MetadataService().fromByteArray(alteredTorrent), rogueDir);
        rogueSwarm.downloaded().get(60, TimeUnit.SECONDS);
        context.say("act 1: the regional artifact and torrent of build 2 are altered; a rogue peer serves them");
        region.publish(region.releases().release(v2, 2, 3, 1L));
        Set<String> refused = new HashSet<>();
        return Wait.until(PATIENCE, () -> {
            for (String host : hosts) {
                HostStatus status = region.status(host);
                if (status != null && status.error() != null && status.error().contains("sha256") && refused.add(host)) {
                    context.say("%s refused the download: %s", host, status.error());
                }
            }
            return refused.size() == hosts.size();
        });
    }

    /** The repaired object, and a rogue that serves altered bytes for some pieces of the right torrent. */
    private void actTwo(AgentRegion region, ReleaseFixture.Build v2, PeerNetwork rogue, Path rogueDir, ScenarioContext context)
            throws Exception {
        region.store().put(v2.keys().artifact(), v2.artifact(), Map.of());
        byte[] torrent = ReleaseFixture.torrent(v2.artifact());
        region.store().putBytes(v2.keys().torrent(), torrent, "application/x-bittorrent", Map.of());
        rogue.leave(2);
        Files.copy(v2.artifact(), rogueDir.resolve("artifact"), StandardCopyOption.REPLACE_EXISTING);
        Swarm rogueSwarm = rogue.join(2, new MetadataService().fromByteArray(torrent), rogueDir);
        rogueSwarm.downloaded().get(60, TimeUnit.SECONDS);
        // after bt checked them: it now serves these pieces as good ones
        int pieceSize = ReleaseFixture.pieceSize(Files.size(v2.artifact()));
        long pieces = (Files.size(v2.artifact()) + pieceSize - 1) / pieceSize;
        for (long piece = 0; piece < pieces; piece += 2) {
            flipBytes(rogueDir.resolve("artifact"), piece * pieceSize + 1000, 16);
        }
        context.say("act 2: the regional object is repaired; the rogue peer serves the right torrent with %d of %d pieces altered",
                (pieces + 1) / 2, pieces);
    }

    /** Hosts whose installed build 2 is not exactly v2's bytes. */
    private static int countCorrupt(AgentRegion region, List<String> hosts, ReleaseFixture.Build v2) throws Exception {
        int corrupt = 0;
        for (String host : hosts) {
            Path data = region.dataDir(host);
            if (!"releases/2".equals(AgentHosts.currentTarget(data))) {
                continue;
            }
            Path artifact = data.resolve("downloads/2/artifact");
            boolean good = "v2".equals(AgentHosts.serving(data));
            if (Files.exists(artifact)) {
                try (InputStream in = Files.newInputStream(artifact)) {
                    good &= FileDigest.sha256(in).equals(v2.sha256());
                }
            }
            corrupt += good ? 0 : 1;
        }
        return corrupt;
    }

    private static void flipBytes(Path file, long offset, int count) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] bytes = new byte[count];
            raf.seek(offset);
            raf.readFully(bytes);
            for (int i = 0; i < count; i++) {
                bytes[i] ^= (byte) 0x5A;
            }
            raf.seek(offset);
            raf.write(bytes);
        }
    }

    private static PeerNetworkConfig withFreePort(PeerNetworkConfig c) throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return c.withListen(null, socket.getLocalPort());
        }
    }
}
