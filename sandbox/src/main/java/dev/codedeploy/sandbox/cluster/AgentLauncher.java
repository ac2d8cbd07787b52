package dev.codedeploy.sandbox.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.codedeploy.agent.AgentConfig;
import dev.codedeploy.agent.AgentMain;
import dev.codedeploy.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts agents as separate processes, {@code java -cp <this classpath> dev.codedeploy.agent.AgentMain --config
 * <host>.yml [--seed]}, optionally inside a network namespace ({@code ip netns exec}, which needs root). Each agent's
 * configuration file and log live in the launcher's folder.
 */
public final class AgentLauncher {

    private static final ObjectMapper CONFIG_WRITER = Json.MAPPER.copy().disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private static final java.util.Set<Process> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        // a sandbox stopped by Ctrl-C or SIGTERM leaves no agent behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly), "agent-processes-kill"));
    }

    private final Path folder;
    private final List<String> jvmOptions;

    /** A launcher keeping configurations and logs in {@code folder}, agents with a 384 MB heap. */
    public AgentLauncher(Path folder) {
        this(folder, List.of("-Xmx384m", "-XX:+UseSerialGC"));
    }

    /** A launcher whose agents get {@code jvmOptions}, where {@code {host}} stands for each agent's host id. */
    public AgentLauncher(Path folder, List<String> jvmOptions) {
        this.folder = folder;
        this.jvmOptions = List.copyOf(jvmOptions);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts an agent ({@code seeder}: the regional seeder) for {@code config}, in {@code namespace} unless null. */
    public AgentProcess start(AgentConfig config, boolean seeder, String namespace) {
        Path file = folder.resolve(config.hostId() + ".yml");
        try {
            // JSON is YAML: the agent reads it with its usual loader
            CONFIG_WRITER.writeValue(file.toFile(), config);
            List<String> command = new ArrayList<>();
            if (namespace != null) {
                command.addAll(List.of("ip", "netns", "exec", namespace));
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // "{host}" in an option names the agent's own file (a flight recording per agent, say)
            jvmOptions.forEach(option -> command.add(option.replace("{host}", config.hostId())));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentMain.class.getName(), "--config", file.toString()));
            if (seeder) {
                command.add("--seed");
            }
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logOf(config.hostId()).toFile()))
                    .start();
            killOnExit(process);
            return new AgentProcess(this, config, seeder, namespace, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the agent of " + config.hostId() + ": " + e.getMessage(), e);
        }
    }

    /** Kills {@code process} when this JVM exits, if it still runs then. */
    public static void killOnExit(Process process) {
        STARTED.removeIf(p -> !p.isAlive());
        STARTED.add(process);
    }

    /** The log file of {@code host}. */
    public Path logOf(String host) {
        return folder.resolve(host + ".log");
    }
}
