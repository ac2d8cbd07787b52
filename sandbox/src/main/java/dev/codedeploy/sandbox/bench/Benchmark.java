package dev.codedeploy.sandbox.bench;

import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.scenario.ScenarioContext;

/**
 * A measurement against a peer or a physical bound in the same run; its {@link Result} is the closing
 * {@code RESULT bench=...} line, with the ratio.
 */
public interface Benchmark {

    /** The name on the command line. */
    String name();

    /** One line for {@code bench --list}. */
    String description();

    /** Runs it on its own embedded servers under the context's folder. */
    Result run(ScenarioContext context) throws Exception;
}
