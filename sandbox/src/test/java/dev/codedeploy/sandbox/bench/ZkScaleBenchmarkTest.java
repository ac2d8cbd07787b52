package dev.codedeploy.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.scenario.ScenarioContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny zk-scale run, to keep the benchmark working: its figures mean nothing at this size. */
class ZkScaleBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void aTinyRunEndsWithEveryKeyOfItsResultLineAndReadsTheServersFigures() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Result result = new ZkScaleBenchmark().run(new ScenarioContext(dir, out,
                Map.of("hosts", "30", "downloadSeconds", "3", "discoverySeconds", "1", "perSession", "10", "zkHeap", "256m",
                        "threads", "8")));
        Map<String, String> values = Result.parse(result.toString());
        assertThat(values).containsOnlyKeys("bench", "hosts_max", "reads_per_host_min", "bytes_per_host_min", "writes_per_host_min",
                "growth", "largest_read_kb", "publish_to_counted_p99_ms", "counted_after_last_report_ms", "within_aim")
                .containsEntry("bench", "zk-scale").containsEntry("hosts_max", "30").containsEntry("growth", "1.00");
        // every host wrote at least its states (downloading, verified, switching, healthy), as the server counted them
        assertThat(Double.parseDouble(values.get("writes_per_host_min"))).isPositive();
        assertThat(Double.parseDouble(values.get("largest_read_kb"))).isPositive().isLessThan(100);
    }
}
