package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.sandbox.Result;

/**
 * A fault injected into a running sandbox, and the proof that the system survives it. Prints progress to stdout;
 * its {@link Result} is the closing {@code RESULT scenario=...} line.
 */
public interface Scenario {

    /** The name on the command line. */
    String name();

    /** One line for {@code scenario --list}. */
    String description();

    /** Runs the scenario on its own embedded servers under {@code workDir}. */
    Result run(ScenarioContext context) throws Exception;
}
