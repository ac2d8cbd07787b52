package dev.codedeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.DeployEvent;
import dev.codedeploy.DeployStage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StageBarTest {

    private final StringWriter out = new StringWriter();

    @Test
    void eachStageGetsOneHeadingAndEachEventALine() {
        try (StageBar bar = new StageBar(new PrintWriter(out, true))) {
            bar.onEvent(new DeployEvent(DeployStage.QUEUED, "queued build job 1", null, Instant.now()));
            bar.onEvent(new DeployEvent(DeployStage.BUILDING, "job 1: fetching", null, Instant.now()));
            bar.onEvent(new DeployEvent(DeployStage.BUILDING, "job 1: packaging", 0.5, Instant.now()));
            bar.onEvent(new DeployEvent(DeployStage.SUCCEEDED, "done", 1.0, Instant.now()));
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
