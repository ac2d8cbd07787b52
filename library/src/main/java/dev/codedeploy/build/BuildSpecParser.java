package dev.codedeploy.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.config.Durations;
import dev.codedeploy.config.YamlAliases;
import dev.codedeploy.release.DeploySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates {@code .codedeploy.yml}:
 *
 * <pre>
 * build:
 *   command: [./gradlew, --no-daemon, distTar]   # or a string, split on spaces and quotes (no shell)
 *   output: build/distributions/app.tar          # a file, or a folder that is packed as a tar
 *   timeout: 20m                                 # optional, default from the worker's configuration
 *   env: {GRADLE_OPTS: -Xmx1g}                   # optional
 * deploy: {...}                                  # optional, for the host agents: checked here ({@link DeploySpec})
 * </pre>
 *
 * YAML anchors and aliases are refused (Jackson would read an alias as its anchor's name). Every problem is a {@link BuildFailedException} naming the field and what is accepted.
 */
public final class BuildSpecParser {

    private static final Set<String> TOP_LEVEL = Set.of("build", "deploy");
    private static final Set<String> BUILD_FIELDS = Set.of("command", "output", "timeout", "env");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final long MAX_SPEC_BYTES = 64 * 1024;

    private final Duration defaultTimeout;
    private final Duration maxTimeout;

    /** A parser that fills in {@code defaultTimeout} and refuses timeouts above {@code maxTimeout}. */
    public BuildSpecParser(Duration defaultTimeout, Duration maxTimeout) {
        this.defaultTimeout = defaultTimeout;
        this.maxTimeout = maxTimeout;
    }

    /** Reads {@code .codedeploy.yml} at the root of {@code workspace}. */
    public BuildSpec read(Path workspace) {
        Path file = workspace.resolve(BuildSpec.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + " is missing at the repository root: add one with"
                    + " build.command and build.output");
        }
        try {
            if (Files.size(file) > MAX_SPEC_BYTES) {
                throw new BuildFailedException(BuildSpec.FILE_NAME + " is larger than " + MAX_SPEC_BYTES + " bytes");
            }
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new BuildFailedException("cannot read " + BuildSpec.FILE_NAME + ": " + e.getMessage(), e);
        }
    }

    /** Parses the text of a {@code .codedeploy.yml}. */
    public BuildSpec parse(String yaml) {
        String alias = YamlAliases.find(yaml);
        if (alias != null) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + " " + alias + ": " + YamlAliases.advice());
        }
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || !root.isObject()) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + " must be a mapping with a 'build' section");
        }
        rejectUnknown(root, TOP_LEVEL, "");
        JsonNode build = root.get("build");
        if (build == null || !build.isObject()) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + ": 'build' section is missing; it needs command and output");
        }
        rejectUnknown(build, BUILD_FIELDS, "build.");
        BuildSpec spec = new BuildSpec(command(build.get("command")), output(build.get("output")), timeout(build.get("timeout")),
                environment(build.get("env")), root.get("deploy"));
        try {
            // what hosts will read: refused here, with the field named, rather than on every host at rollout
            DeploySpec.parse(spec.deploy());
        } catch (InvalidInputException e) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + ": " + e.getMessage());
        }
        return spec;
    }

    private static void rejectUnknown(JsonNode node, Set<String> known, String prefix) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new BuildFailedException(BuildSpec.FILE_NAME + ": unknown field '" + prefix + name + "'; accepted: "
                        + known.stream().sorted().map(k -> prefix + k).toList());
            }
        }
    }

    private static List<String> command(JsonNode node) {
        List<String> argv = new ArrayList<>();
        if (node == null || node.isNull()) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.command is missing: give a list such as [make, dist]");
        }
        if (node.isTextual()) {
            argv.addAll(CommandLine.split(node.asText()));
        } else if (node.isArray()) {
            for (JsonNode arg : node) {
                if (!arg.isValueNode() || arg.isNull()) {
                    throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.command must be a list of strings");
                }
                argv.add(arg.asText());
            }
        } else {
            throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.command must be a list of strings or a string");
        }
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.command is empty");
        }
        for (String arg : argv) {
            if (arg.indexOf('\0') >= 0) {
                throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.command holds a NUL character");
            }
        }
        return argv;
    }

    private static String output(JsonNode node) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.output is missing: give the file or folder the build"
                    + " leaves, relative to the repository root");
        }
        String output = node.asText().trim();
        if (output.startsWith("/") || output.indexOf('\0') >= 0) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.output '" + output + "' must be a relative path inside the repository");
        }
        return output;
    }

    private Duration timeout(JsonNode node) {
        if (node == null || node.isNull()) {
            return defaultTimeout;
        }
        Duration timeout;
        try {
            timeout = node.isNumber() ? Duration.ofSeconds(node.asLong()) : Durations.parse(node.asText());
        } catch (IllegalArgumentException e) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.timeout " + e.getMessage());
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(maxTimeout) > 0) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.timeout " + Durations.format(timeout)
                    + " is out of range: above 0 and at most " + Durations.format(maxTimeout));
        }
        return timeout;
    }

    private static Map<String, String> environment(JsonNode node) {
        Map<String, String> env = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return env;
        }
        if (!node.isObject()) {
            throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.env must be a mapping of NAME: value");
        }
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!ENV_NAME.matcher(field.getKey()).matches()) {
                throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.env name '" + field.getKey()
                        + "' is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)");
            }
            if (!field.getValue().isValueNode()) {
                throw new BuildFailedException(BuildSpec.FILE_NAME + ": build.env." + field.getKey() + " must be a string");
            }
            env.put(field.getKey(), field.getValue().asText());
        }
        return env;
    }
}
