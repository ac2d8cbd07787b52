package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.agent.AgentConfig;
import dev.codedeploy.agent.p2p.PeerNetworkConfig;
import dev.codedeploy.testing.ReleaseFixture;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.AgentProcess;
import dev.codedeploy.sandbox.cluster.AgentRegion;
import dev.codedeploy.sandbox.cluster.Wait;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code agent-crash-mid-download}: the hosts download a build of {@code sizeMb} MiB, each limited to
 * {@code mbps} Mbit/s so that the download takes a while; each is SIGKILLed once it has between a fifth and four
 * fifths of the pieces, then started again. A host counts as resumed when it finishes, verified and healthy,
 * having found pieces on disk instead of fetching them again. Options: {@code hosts} (3), {@code sizeMb} (96),
 * {@code mbps} (200).
 */
public final class AgentCrashMidDownloadScenario implements Scenario {

    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final Pattern DOWNLOADED = Pattern.compile(
            "build 1 downloaded: .* in (\\d+) pieces, (\\d+) fetched from peers, (\\d+) found on disk \\(resumed after a restart\\)");

    @Override
    public String name() {
        return "agent-crash-mid-download";
    }

    @Override
    public String description() {
        return "SIGKILL agents in the middle of a download and restart them: they resume from the pieces on disk";
    }

    @Override
    public Result run(ScenarioContext context) throws Exception {
        int n = context.intOption("hosts", 3);
        int sizeMb = context.intOption("sizeMb", 96);
        int mbps = context.intOption("mbps", 200);
        List<String> hosts = AgentHosts.names(n);
        try (AgentRegion region = AgentRegion.start(context.workDir().resolve("region"))) {
            region.start(region.config("seeder", region.dataDir("seeder")), true);
            Map<String, AgentProcess> agents = new LinkedHashMap<>();
            for (String host : hosts) {
                agents.put(host, AgentHosts.start(region, limited(region.config(host, region.dataDir(host)), mbps)));
            }
            ReleaseFixture.Build build = region.releases().appTar(1, "v1", 0, (long) sizeMb << 20, null);
            region.publish(region.releases().release(build, 1, 3, null));
            context.say("published build 1 (%d MiB) to %d hosts limited to %d Mbit/s each", sizeMb, n, mbps);

            Set<String> killed = killMidDownload(region, agents, context);
            for (String host : killed) {
                long onDisk = Files.size(region.dataDir(host).resolve("downloads/1/artifact"));
                context.say("%s: %d bytes on disk after the crash; starting it again", host, onDisk);
                agents.put(host, region.restart(agents.get(host)));
            }
            boolean healthy = region.await(hosts, AgentRegion.in(HostState.HEALTHY, 1), PATIENCE);
            int resumed = 0;
            for (String host : hosts) {
                Matcher m = DOWNLOADED.matcher(agents.get(host).logText());
                boolean found = m.find();
                int fromDisk = found ? Integer.parseInt(m.group(3)) : 0;
                HostStatus status = region.status(host);
                boolean ok = killed.contains(host) && found && fromDisk > 0 && status != null && status.state() == HostState.HEALTHY
                        && "v1".equals(AgentHosts.serving(region.dataDir(host)));
                context.say("%s: killed %s, after the restart %s of %s pieces found on disk, %s", host, killed.contains(host),
                        found ? m.group(3) : "?", found ? m.group(1) : "?", status == null ? "no status" : status.state());
                resumed += ok ? 1 : 0;
            }
            return Result.scenario(name()).ok(healthy && resumed == n).put("resumed", resumed + "/" + n);
        }
    }

    /** Kills each host once it holds between a fifth and four fifths of the pieces. */
    private static Set<String> killMidDownload(AgentRegion region, Map<String, AgentProcess> agents, ScenarioContext context)
            throws Exception {
        Set<String> killed = new HashSet<>();
        Wait.until(PATIENCE, () -> {
            for (Map.Entry<String, AgentProcess> agent : agents.entrySet()) {
                HostStatus status = region.status(agent.getKey());
                if (killed.contains(agent.getKey()) || status == null || status.progress() == null) {
                    continue;
                }
                HostStatus.Progress p = status.progress();
                if (p.piecesTotal() > 0 && p.piecesDone() * 5 >= p.piecesTotal() && p.piecesDone() * 5 <= 4 * p.piecesTotal()) {
                    agent.getValue().kill();
                    killed.add(agent.getKey());
                    context.say("SIGKILL %s at %d/%d pieces", agent.getKey(), p.piecesDone(), p.piecesTotal());
                } else if (status.state() != HostState.DOWNLOADING && status.state() != HostState.IDLE) {
                    context.say("%s is %s before it could be killed mid-download", agent.getKey(), status.state());
                    killed.add(agent.getKey() + " (missed)");
                }
            }
            return killed.size() == agents.size();
        });
        killed.removeIf(h -> h.endsWith("(missed)"));
        return killed;
    }

    private static AgentConfig limited(AgentConfig c, int mbps) {
        PeerNetworkConfig bt = c.bt();
        PeerNetworkConfig slow = new PeerNetworkConfig(bt.address(), bt.advertiseAddress(), bt.port(), bt.peerDiscoveryInterval(),
                bt.maxPeers(), bt.maxConnections(), bt.seedAfter(), mbps, bt.stallTimeout(), bt.piecesPerPeer(), bt.seederSlots());
        return new AgentConfig(c.hostId(), c.environment(), c.region(), c.dataDir(), c.releasePublicKey(), c.zooKeeper(), c.hostPassword(), c.blobStore(),
                c.distribution(), slow, c.install(), c.retryInterval(), c.progressInterval());
    }
}
