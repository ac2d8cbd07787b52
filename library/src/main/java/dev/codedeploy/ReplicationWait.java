package dev.codedeploy;

import dev.codedeploy.replication.DeployGate;
import dev.codedeploy.replication.ReplicaStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Waits until every region holds a build (the deploy gate opens), reporting each region's state meanwhile. */
final class ReplicationWait {

    private static final Duration POLL = Duration.ofMillis(250);

    private final DeployGate gate;
    private final DeployProgress progress;

    ReplicationWait(DeployGate gate, DeployProgress progress) {
        this.gate = gate;
        this.progress = progress;
    }

    void await(long buildId, Instant deadline, Duration timeout, Supplier<DeployResult> lastKnown) throws InterruptedException {
        while (!gate.isDeployable(buildId)) {
            Map<String, ReplicaStatus> regions = gate.replicas(buildId);
            long done = regions.values().stream().filter(s -> s == ReplicaStatus.COMPLETED).count();
            String detail = regions.entrySet().stream().filter(e -> e.getValue() != ReplicaStatus.COMPLETED)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
            progress.report("build " + buildId + " in " + done + " of " + regions.size() + " regions (waiting: " + detail + ")",
                    regions.isEmpty() ? null : (double) done / regions.size());
            if (Instant.now().isAfter(deadline)) {
                throw new DeployTimeoutException("build " + buildId + " did not reach every region within " + timeout
                        + " (waiting: " + detail + ")", lastKnown.get());
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
