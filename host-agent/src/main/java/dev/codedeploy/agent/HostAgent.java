package dev.codedeploy.agent;

import dev.codedeploy.agent.download.ArtifactFetcher;
import dev.codedeploy.agent.download.BlobDownload;
import dev.codedeploy.agent.download.PeerDownload;
import dev.codedeploy.agent.report.StatusReporter;
import dev.codedeploy.agent.zk.AgentZooKeeper;
import dev.codedeploy.release.ReleaseWatcher;
import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.ZkLayout;
import dev.codedeploy.zookeeper.EphemeralNode;
import java.time.Clock;
import java.time.Duration;

/**
 * The daemon of one host: reports in {@code hosts/<bucket>/<host>/status} (under the node its enrollment made) in its
 * regional ZooKeeper, watches the environment's
 * release, and brings the host to it (see {@link Deployer}): download from peers, verify, install, switch when its
 * wave opens, health-check, report, seed, clean up.
 *
 * <p>Losing ZooKeeper (see {@link AgentService}): the host keeps running its current release and finishes the step
 * it is in; its status node and peer nodes are written again after RECONNECTED, with the state of that moment.
 */
public final class HostAgent extends AgentService {

    /** How often the status node is checked to exist, under its watch (also covers a region not prepared yet). */
    static final Duration NODE_RECHECK = Duration.ofSeconds(10);

    private EphemeralNode statusNode;
    private StatusReporter reporter;
    private Deployer deployer;

    /** An agent for {@code config}; nothing runs before {@link #start()}. */
    public HostAgent(AgentConfig config) {
        this(config, Clock.systemUTC());
    }

    HostAgent(AgentConfig config, Clock clock) {
        super(config, clock);
    }

    @Override
    protected boolean usesPeers() {
        return config.distribution() == AgentConfig.Distribution.P2P;
    }

    @Override
    protected long minReleaseVersion() {
        return store.state().releaseVersion();
    }

    @Override
    protected void onStart() {
        Long current = store.current().isPresent() ? store.current().getAsLong() : null;
        HostStatus initial = new HostStatus(config.hostId(), config.region(), current, null, 0, HostState.IDLE, null, null, clock.instant());
        prepareOpenParents();
        statusNode = new EphemeralNode(zk, ZkLayout.hostStatus(config.environment(), config.hostId()), initial.toBytes(), NODE_RECHECK);
        statusNode.start();
        reporter = new StatusReporter(config.hostId(), config.region(), statusNode, clock, config.progressInterval());
        ArtifactFetcher fetcher = usesPeers() ? new PeerDownload(network, blobs, store, config.bt().stallTimeout()) : new BlobDownload(blobs, store);
        deployer = new Deployer(config, store, reporter, fetcher, network, blobs, this::stillWanted, clock, metrics);
        metrics.bindStatus(reporter::last);
    }

    @Override
    protected void prepareOpenParents() {
        super.prepareOpenParents();
        if (AgentZooKeeper.isOpen(config.zooKeeper(), config.hostCredentials())) {
            AgentZooKeeper.prepareOpenParent(zk, ZkLayout.host(config.environment(), config.hostId()));
        }
    }

    @Override
    protected Duration converge(ReleaseWatcher.Verified release) throws InterruptedException {
        return deployer.converge(release);
    }

    @Override
    protected void housekeeping() {
        ReleaseWatcher.Verified latest = watcher.latest();
        deployer.housekeeping(latest == null ? null : latest.release().buildId());
    }

    @Override
    protected void onClose() {
        if (statusNode != null) {
            statusNode.close();
        }
    }

    /** What this host reported last. */
    public HostStatus status() {
        return reporter.last();
    }
}
