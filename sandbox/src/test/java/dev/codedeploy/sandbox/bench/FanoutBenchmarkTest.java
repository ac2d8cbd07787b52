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

/** A tiny fanout run, to keep the benchmark working: its figures mean nothing at this size. */
class FanoutBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void aTinyRunEndsWithEveryKeyOfItsResultLine() throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Result result = new FanoutBenchmark().run(new ScenarioContext(dir, out,
                Map.of("watchers", "10", "rounds", "1", "warmUps", "0", "pollSeconds", "1")));
        Map<String, String> values = Result.parse(result.toString());
        assertThat(values).containsOnlyKeys("bench", "watchers", "p50_ms", "p99_ms", "max_ms", "polling_p99_ms", "ratio")
                .containsEntry("bench", "fanout").containsEntry("watchers", "10");
        assertThat(Double.parseDouble(values.get("p99_ms"))).isPositive();
    }
}
