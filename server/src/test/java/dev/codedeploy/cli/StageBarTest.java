package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.client.DeployEvent;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.StageTiming.Stage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StageBarTest {

    private final StringWriter out = new StringWriter();

    @Test
    void eachStageGetsOneHeadingAndEachEventALine() {
        try (StageBar bar = new StageBar(new PrintWriter(out, true))) {
            bar.accept(new DeployEvent(1, 7, Instant.now(), DeployState.BUILDING, Stage.QUEUED, "queued build job 1", null));
            bar.accept(new DeployEvent(2, 7, Instant.now(), DeployState.BUILDING, Stage.BUILDING, "job 1: fetching", null));
            bar.accept(new DeployEvent(3, 7, Instant.now(), DeployState.BUILDING, Stage.BUILDING, "job 1: packaging", 0.5));
            bar.accept(new DeployEvent(4, 7, Instant.now(), DeployState.SUCCEEDED, null, "done", 1.0));
        }

        assertThat(out.toString()).containsSubsequence("== QUEUED", "   queued build job 1", "== BUILDING", "   job 1: fetching",
                "   job 1: packaging", "== SUCCEEDED", "   done");
        assertThat(out.toString().split("== BUILDING", -1)).as("one heading per stage").hasSize(2);
    }

    @Test
    void closingWithoutAnyEventPrintsNothing() {
        new StageBar(new PrintWriter(out, true)).close();

        assertThat(out.toString()).isEmpty();
    }
}
