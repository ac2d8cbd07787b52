package dev.codedeploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployProgressTest {

    private final List<DeployEvent> events = new ArrayList<>();

    @Test
    void aStageSeenOnlyAfterItEndedGetsItsOwnTimeOutOfThePreviousOne() {
        DeployProgress progress = new DeployProgress(events::add, DeployStage.QUEUED);

        progress.enter(DeployStage.BUILDING, "built in 5m", Duration.ofMinutes(5));
        progress.enter(DeployStage.REPLICATING, "stored");

        Map<DeployStage, Duration> timings = progress.timings();
        assertThat(timings.keySet()).startsWith(DeployStage.QUEUED, DeployStage.BUILDING);
        // the whole test lasts far less than 5 minutes, so BUILDING is capped at what QUEUED had: QUEUED keeps ~0
        assertThat(timings.get(DeployStage.BUILDING)).isLessThan(Duration.ofMinutes(1));
        assertThat(timings.get(DeployStage.QUEUED)).isEqualTo(Duration.ZERO);
        assertThat(events).extracting(DeployEvent::stage).containsExactly(DeployStage.BUILDING, DeployStage.REPLICATING);
    }

    @Test
    void aShortStageTakesItsShareAndLeavesTheRestToTheStageBefore() {
        DeployProgress progress = new DeployProgress(events::add, DeployStage.QUEUED);
        long start = System.nanoTime();
        // a stage's clock runs on Instant.now(): wait until 40 ms have passed (bounded), no sleeping in fixed steps
        while (System.nanoTime() - start < 40_000_000L) {
            Thread.onSpinWait();
        }

        progress.enter(DeployStage.BUILDING, "built in 10ms", Duration.ofMillis(10));
        progress.enter(DeployStage.REPLICATING, "stored");

        Map<DeployStage, Duration> timings = progress.timings();
        assertThat(timings.get(DeployStage.BUILDING)).isGreaterThanOrEqualTo(Duration.ofMillis(10));
        assertThat(timings.get(DeployStage.QUEUED)).as("40 ms or more passed, of which 10 ms were the build")
                .isGreaterThanOrEqualTo(Duration.ofMillis(30));
    }
}
