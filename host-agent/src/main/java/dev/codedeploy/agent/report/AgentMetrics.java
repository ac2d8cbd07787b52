package dev.codedeploy.agent.report;

import dev.codedeploy.release.HostState;
import dev.codedeploy.release.HostStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The agent's meters: its state and builds (read from what it last reported), bytes downloaded and the peers of the
 * download, bytes seeded to peers, and health-check outcomes. Names as Prometheus shows them:
 * {@code codedeploy_agent_state{state}} (1 for the state the host is in), {@code codedeploy_agent_current_build},
 * {@code codedeploy_agent_target_build}, {@code codedeploy_agent_download_bytes_total},
 * {@code codedeploy_agent_download_peers}, {@code codedeploy_agent_seeded_bytes_total},
 * {@code codedeploy_agent_health_checks_total{outcome}}.
 */
public final class AgentMetrics {

    private final MeterRegistry registry;
    private final Counter downloadBytes;
    private final AtomicInteger downloadPeers = new AtomicInteger();
    private final Counter healthy;
    private final Counter unhealthy;
    // held here: Micrometer keeps only weak references to what a gauge reads, and a method reference would be collected
    private volatile Supplier<HostStatus> status;
    private volatile LongSupplier uploaded;
    private long progressBuild = -1;
    private long progressBytes;

    /** Meters in {@code registry}. */
    public AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
        downloadBytes = Counter.builder("codedeploy.agent.download.bytes").baseUnit("bytes")
                .description("bytes of builds downloaded (from peers or the blob store, or found on disk when a download resumed)"
                        + " since the agent started").register(registry);
        Gauge.builder("codedeploy.agent.download.peers", downloadPeers, AtomicInteger::get)
                .description("peers connected for the download in progress").register(registry);
        healthy = healthChecks("healthy");
        unhealthy = healthChecks("unhealthy");
    }

    private Counter healthChecks(String outcome) {
        return Counter.builder("codedeploy.agent.health.checks").tag("outcome", outcome)
                .description("health checks after a switch, by outcome").register(registry);
    }

    /** State and builds, read from {@code status} at each scrape (a host agent; a seeder has none). */
    public void bindStatus(Supplier<HostStatus> status) {
        this.status = status;
        for (HostState state : HostState.values()) {
            Gauge.builder("codedeploy.agent.state", this, m -> m.status.get().state() == state ? 1 : 0).tag("state", state.name())
                    .description("1 for the state this host is in").register(registry);
        }
        Gauge.builder("codedeploy.agent.current.build", this, m -> orNaN(m.status.get().currentBuildId()))
                .description("the build this host runs").register(registry);
        Gauge.builder("codedeploy.agent.target.build", this, m -> orNaN(m.status.get().targetBuildId()))
                .description("the build of the release this host follows").register(registry);
    }

    /** Bytes sent to peers, read from {@code uploaded} (a running total) at each scrape. */
    public void bindSeeded(LongSupplier uploaded) {
        this.uploaded = uploaded;
        FunctionCounter.builder("codedeploy.agent.seeded.bytes", this, m -> m.uploaded.getAsLong()).baseUnit("bytes")
                .description("bytes sent to peers since the agent started").register(registry);
    }

    /** The download of {@code build} is at {@code progress}: counts the bytes added since the last call. */
    public synchronized void downloadProgress(long build, HostStatus.Progress progress) {
        if (build != progressBuild || progress.bytesDone() < progressBytes) {
            // a new download, or one started again: its bytes so far were fetched now (or found on disk, see Swarm)
            progressBuild = build;
            progressBytes = 0;
        }
        downloadBytes.increment(progress.bytesDone() - progressBytes);
        progressBytes = progress.bytesDone();
        downloadPeers.set(progress.peers());
    }

    /** The download in progress ended (done, failed or abandoned): no peers for it any more. */
    public void downloadEnded() {
        downloadPeers.set(0);
    }

    /** A health check after a switch ended. */
    public void healthCheck(boolean passed) {
        (passed ? healthy : unhealthy).increment();
    }

    private static double orNaN(Long build) {
        return build == null ? Double.NaN : build;
    }
}
