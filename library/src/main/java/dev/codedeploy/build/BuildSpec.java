package dev.codedeploy.build;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@code .codedeploy.yml} asks the builder to do.
 *
 * @param command     the program and its arguments, run without a shell
 * @param output      the file or folder the build leaves, relative to the repository root
 * @param timeout     how long the command may run
 * @param environment extra environment variables
 * @param deploy      the {@code deploy:} section, passed untouched to the release for the host agents (may be null)
 */
public record BuildSpec(List<String> command, String output, Duration timeout, Map<String, String> environment, JsonNode deploy) {

    /** The file the builder reads at the repository root. */
    public static final String FILE_NAME = ".codedeploy.yml";

    public BuildSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }
}
