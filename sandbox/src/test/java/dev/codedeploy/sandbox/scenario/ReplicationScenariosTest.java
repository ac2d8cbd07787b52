package dev.codedeploy.sandbox.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.bench.ReplicationBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the replication scenarios in-process with small artifacts and checks their RESULT lines. */
class ReplicationScenariosTest {

    private Path dir;
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("replication-scenario");
    }

    @AfterEach
    void tearDown() {
        EmbeddedServers.delete(dir);
    }

    private Map<String, String> run(Scenario scenario, Map<String, String> options) throws Exception {
        ScenarioContext context = new ScenarioContext(dir, new PrintStream(progress, true, StandardCharsets.UTF_8), options);
        Result result = scenario.run(context);
        return Result.parse(result.toString());
    }

    @Test
    void regionOutage() throws Exception {
        Map<String, String> result = run(new RegionOutageScenario(), Map.of("size_mb", "16", "part_mb", "5", "regions", "3"));
        assertThat(result).as(progress.toString(StandardCharsets.UTF_8))
                .containsEntry("scenario", "region-outage").containsEntry("ok", "true")
                .containsEntry("gate_closed_during_outage", "true").containsEntry("gate_open_after", "true")
                .containsKey("catch_up_s").hasSize(5);
    }

    @Test
    void corruptReplica() throws Exception {
        Map<String, String> result = run(new CorruptReplicaScenario(), Map.of("size_mb", "6", "part_mb", "5", "regions", "3"));
        assertThat(result).as(progress.toString(StandardCharsets.UTF_8))
                .containsExactly(Map.entry("scenario", "corrupt-replica"), Map.entry("ok", "true"), Map.entry("detected", "true"),
                        Map.entry("repaired", "true"));
    }

    @Test
    void replicationBenchmarkSmoke() throws Exception {
        ScenarioContext context = new ScenarioContext(dir, new PrintStream(progress, true, StandardCharsets.UTF_8),
                Map.of("size_mb", "6", "part_mb", "5", "regions", "2", "rounds", "1"));
        Map<String, String> result = Result.parse(new ReplicationBenchmark().run(context).toString());
        assertThat(result).as(progress.toString(StandardCharsets.UTF_8)).containsOnlyKeys("bench", "size_mb", "regions", "seconds",
                "sequential_seconds", "ratio", "transfer_seconds", "transfer_ratio").containsEntry("size_mb", "6").containsEntry("regions", "2");
        assertThat(Double.parseDouble(result.get("ratio"))).isPositive();
        assertThat(Double.parseDouble(result.get("transfer_seconds"))).as("the parts' transfer was timed").isPositive();
    }
}
