package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.sandbox.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs a scenario in-process, as {@code scenario NAME} would, and returns its RESULT line parsed. */
final class ScenarioRunner {

    private ScenarioRunner() {
    }

    static Map<String, String> run(Scenario scenario, Path dir, Map<String, String> options) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Result result = scenario.run(new ScenarioContext(dir, out, options));
        System.out.print(buffer.toString(StandardCharsets.UTF_8));
        System.out.println(result);
        return Result.parse(result.toString());
    }
}
