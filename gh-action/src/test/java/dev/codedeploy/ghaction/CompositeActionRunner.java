package dev.codedeploy.ghaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a composite action's {@code action.yml} the way the GitHub runner does, for tests on a machine without a
 * runner: the inputs with their defaults, {@code ${{ }}} expressions substituted (inputs, github, runner, steps, env),
 * each {@code run} step in {@code bash --noprofile --norc -eo pipefail} with the step's {@code env}, a fresh
 * {@code GITHUB_OUTPUT} and {@code GITHUB_STEP_SUMMARY} per step, {@code GITHUB_ACTION_PATH}, {@code GITHUB_WORKSPACE}
 * as the working folder; the step outputs parsed (both forms) and the action's outputs evaluated; the run stops at the
 * first failing step. A {@code uses:} step is skipped and listed: the only one, {@code actions/setup-java}, puts a
 * Java 17 first on the PATH, which this runner does with the JVM running the tests. Anything it does not know
 * ({@code if:}, another shell, an unknown expression or input) fails the test rather than being guessed.
 */
final class CompositeActionRunner {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*(.*?)\\s*}}");
    private static final Pattern CONTEXT_PATH = Pattern.compile("(inputs|github|runner|env)\\.([A-Za-z0-9_-]+)|steps\\.([A-Za-z0-9_-]+)\\.outputs\\.([A-Za-z0-9_-]+)");
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);

    private final Path actionDir;
    private final JsonNode action;
    private final AtomicReference<Process> current = new AtomicReference<>();

    CompositeActionRunner(Path actionDir) {
        this.actionDir = actionDir;
        try {
            this.action = new YAMLMapper().readTree(actionDir.resolve("action.yml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!"composite".equals(action.path("runs").path("using").asText())) {
            throw new IllegalStateException("not a composite action: runs.using is " + action.path("runs").path("using"));
        }
    }

    /** The parsed action.yml. */
    JsonNode action() {
        return action;
    }

    /** The process of the step that runs now, if any. */
    Process currentProcess() {
        return current.get();
    }

    /**
     * Runs the action.
     *
     * @param with    the step's {@code with:}
     * @param github  the {@code github} context (sha, repository, server_url, token, run_id, api_url, ...)
     * @param stepEnv the step's {@code env:} in the workflow, seen by every step of the action
     * @param workDir holds the workspace, the runner's temp folder and the step files
     */
    Result run(Map<String, String> with, Map<String, String> github, Map<String, String> stepEnv, Path workDir) throws IOException, InterruptedException {
        Path workspace = Files.createDirectories(workDir.resolve("workspace"));
        Path temp = Files.createDirectories(workDir.resolve("runner-temp"));
        // the step files of each run apart, the workspace and the runner's temp folder shared, as on one runner
        Path files = Files.createTempDirectory(workDir, "run-");
        Map<String, Map<String, String>> stepOutputs = new LinkedHashMap<>();
        Context context = new Context(inputs(with, github), github, Map.of("temp", temp.toString(), "os", "Linux"), stepEnv, stepOutputs);
        StringBuilder log = new StringBuilder();
        StringBuilder summary = new StringBuilder();
        List<String> skipped = new ArrayList<>();
        int index = 0;
        for (JsonNode step : action.path("runs").path("steps")) {
            index++;
            if (step.has("if")) {
                throw new IllegalStateException("step " + index + " has if:, which this runner does not evaluate");
            }
            if (step.has("uses")) {
                skipped.add(step.get("uses").asText());
                continue;
            }
            if (!"bash".equals(step.path("shell").asText())) {
                throw new IllegalStateException("step " + index + " has shell '" + step.path("shell").asText() + "': a composite run step needs one, here bash");
            }
            Path script = files.resolve("step-" + index + ".sh");
            Files.writeString(script, context.evaluate(step.path("run").asText()));
            Path outputFile = Files.createFile(files.resolve("output-" + index));
            Path summaryFile = Files.createFile(files.resolve("summary-" + index));
            Path stepLog = files.resolve("log-" + index);

            ProcessBuilder pb = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", script.toString())
                    .directory(workspace.toFile()).redirectErrorStream(true).redirectOutput(stepLog.toFile());
            Map<String, String> env = pb.environment();
            env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + env.get("PATH"));
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("GITHUB_ACTIONS", "true");
            env.put("GITHUB_ACTION_PATH", actionDir.toString());
            env.put("GITHUB_WORKSPACE", workspace.toString());
            env.put("RUNNER_TEMP", temp.toString());
            env.put("GITHUB_OUTPUT", outputFile.toString());
            env.put("GITHUB_STEP_SUMMARY", summaryFile.toString());
            github.forEach((name, value) -> {
                // the runner exports these; the token only through expressions
                if (!name.equals("token") && !name.startsWith("action")) {
                    env.put("GITHUB_" + name.toUpperCase(), value);
                }
            });
            env.putAll(stepEnv);
            for (Map.Entry<String, JsonNode> e : step.path("env").properties()) {
                env.put(e.getKey(), context.evaluate(e.getValue().asText()));
            }
            Process process = pb.start();
            current.set(process);
            boolean exited = process.waitFor(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            current.set(null);
            if (!exited) {
                process.destroyForcibly();
                throw new IllegalStateException("step " + index + " did not end within " + STEP_TIMEOUT + "; its log:\n"
                        + Files.readString(stepLog, StandardCharsets.UTF_8));
            }
            log.append(Files.readString(stepLog, StandardCharsets.UTF_8));
            summary.append(Files.readString(summaryFile, StandardCharsets.UTF_8));
            String id = step.path("id").asText("step-" + index);
            stepOutputs.put(id, parseOutputs(Files.readString(outputFile, StandardCharsets.UTF_8)));
            if (process.exitValue() != 0) {
                return new Result(process.exitValue(), log.toString(), summary.toString(), Map.of(), stepOutputs, skipped);
            }
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : action.path("outputs").properties()) {
            outputs.put(e.getKey(), context.evaluate(e.getValue().path("value").asText()));
        }
        return new Result(0, log.toString(), summary.toString(), outputs, stepOutputs, skipped);
    }

    /** The inputs as the runner sets them: what {@code with:} gives (even empty), else the default, evaluated. */
    private Map<String, String> inputs(Map<String, String> with, Map<String, String> github) {
        for (String name : with.keySet()) {
            if (!action.path("inputs").has(name)) {
                throw new IllegalArgumentException("unexpected input '" + name + "': action.yml declares " + action.path("inputs").properties().stream().map(Map.Entry::getKey).toList());
            }
        }
        Map<String, String> inputs = new HashMap<>();
        Context defaults = new Context(Map.of(), github, Map.of(), Map.of(), Map.of());
        for (Map.Entry<String, JsonNode> e : action.path("inputs").properties()) {
            String value = with.containsKey(e.getKey()) ? with.get(e.getKey()) : defaults.evaluate(e.getValue().path("default").asText(""));
            inputs.put(e.getKey(), value);
        }
        return inputs;
    }

    /** Parses a GITHUB_OUTPUT file as the runner does: {@code name=value} and {@code name<<DELIMITER}. */
    static Map<String, String> parseOutputs(String text) {
        Map<String, String> outputs = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int heredoc = line.indexOf("<<");
            int equals = line.indexOf('=');
            if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
                String name = line.substring(0, heredoc);
                String delimiter = line.substring(heredoc + 2);
                StringBuilder value = new StringBuilder();
                i++;
                while (i < lines.length && !lines[i].equals(delimiter)) {
                    if (value.length() > 0) {
                        value.append('\n');
                    }
                    value.append(lines[i]);
                    i++;
                }
                if (i >= lines.length) {
                    throw new IllegalStateException("output " + name + ": no closing delimiter " + delimiter);
                }
                outputs.put(name, value.toString());
            } else if (equals > 0) {
                outputs.put(line.substring(0, equals), line.substring(equals + 1));
            } else {
                throw new IllegalStateException("GITHUB_OUTPUT line is neither name=value nor name<<DELIMITER: " + line);
            }
        }
        return outputs;
    }

    /**
     * How the run went.
     *
     * @param exitCode    the exit code of the last step run
     * @param log         every step's output, in order
     * @param summary     the job summary of every step
     * @param outputs     the action's outputs (empty when a step failed)
     * @param stepOutputs each step's outputs, by id
     * @param skipped     the {@code uses:} steps skipped
     */
    record Result(int exitCode, String log, String summary, Map<String, String> outputs, Map<String, Map<String, String>> stepOutputs,
                  List<String> skipped) {
    }

    /** Evaluates {@code ${{ context.path }}} expressions; anything else is an error. */
    private record Context(Map<String, String> inputs, Map<String, String> github, Map<String, String> runner, Map<String, String> env,
                           Map<String, Map<String, String>> steps) {

        String evaluate(String text) {
            Matcher m = EXPRESSION.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(value(m.group(1))));
            }
            m.appendTail(out);
            return out.toString();
        }

        private String value(String expression) {
            Matcher m = CONTEXT_PATH.matcher(expression);
            if (!m.matches()) {
                throw new IllegalStateException("expression '" + expression + "' is not a context path this runner knows");
            }
            if (m.group(3) != null) {
                return steps.getOrDefault(m.group(3), Map.of()).getOrDefault(m.group(4), "");
            }
            Map<String, String> context = switch (m.group(1)) {
                case "inputs" -> inputs;
                case "github" -> github;
                case "runner" -> runner;
                default -> env;
            };
            if (m.group(1).equals("inputs") && !inputs.containsKey(m.group(2))) {
                throw new IllegalStateException("expression '" + expression + "' names an input action.yml does not declare");
            }
            return context.getOrDefault(m.group(2), "");
        }
    }
}
