package dev.codedeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.config.EnvironmentSubstitution;
import dev.codedeploy.config.YamlAliases;
import dev.codedeploy.lifecycle.AbstractService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The builder workers of {@code codedeploy server}, in a child process ({@code codedeploy worker --config -}), so that
 * the process that runs builds holds neither the release signing key nor the ZooKeeper control credentials: the child
 * is given only the {@value #SECTIONS_TEXT} sections of the configuration (already substituted, through its standard
 * input, never a file or its command line) and an environment of {@link #ENVIRONMENT} only.
 *
 * <p>The child stops when this process closes its standard input or dies (it reads its standard input to the end),
 * giving its running jobs back to the queue. When it dies on its own it is started again after a pause. It needs the
 * database and the master store, as in-process workers would; losing them is the child's to survive (see
 * {@code WorkerPool}).
 */
final class BuilderProcess extends AbstractService {

    private static final Logger log = LoggerFactory.getLogger(BuilderProcess.class);
    private static final String SECTIONS_TEXT = "database, blobStore, queue and build";
    /** What the workers need of the configuration; nothing of ZooKeeper, the regions or the rollout. */
    static final Set<String> SECTIONS = Set.of("database", "blobStore", "queue", "build");
    /** The child's whole environment, taken from this process where set. */
    static final Set<String> ENVIRONMENT = Set.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "JAVA_HOME", "TMPDIR");
    /** Ends the configuration on the child's standard input (the YAML document end marker). */
    static final String END = "...";
    private static final long RESTART_PAUSE_MS = 5_000;

    private final Path configFile;
    private final int workers;
    private volatile Process child;
    private Thread supervisor;

    BuilderProcess(Path configFile, int workers) {
        this.configFile = configFile;
        this.workers = workers;
    }

    /**
     * The configuration a builder child gets: {@code yaml} with {@code ${ENV}} substituted and every section but
     * {@link #SECTIONS} removed; its monitor is off (the server runs its own).
     */
    static String workerConfig(String yaml, String source) {
        String substituted;
        try {
            substituted = EnvironmentSubstitution.apply(yaml);
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        if (YamlAliases.find(substituted) != null) {
            throw new ConfigException(source + " " + YamlAliases.find(substituted) + ": " + YamlAliases.advice());
        }
        YAMLMapper mapper = new YAMLMapper();
        try {
            JsonNode tree = mapper.readTree(substituted);
            if (!(tree instanceof ObjectNode root)) {
                throw new ConfigException(source + ": the configuration must be a mapping");
            }
            Iterator<String> names = root.fieldNames();
            while (names.hasNext()) {
                if (!SECTIONS.contains(names.next())) {
                    names.remove();
                }
            }
            root.putObject("monitor").put("enabled", false);
            String text = mapper.writeValueAsString(root);
            // the $ of a secret must stay literal when the child substitutes again
            return text.replace("${", "$${");
        } catch (IOException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage());
        }
    }

    @Override
    protected void doStart() {
        String config;
        try {
            config = workerConfig(Files.readString(configFile), configFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + configFile, e);
        }
        ConfigLoader.parse(config, "the builder workers' part of " + configFile);
        launch(config);
        supervisor = new Thread(() -> supervise(config), "builder-process");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    /** The running child's process id, or -1. */
    long pid() {
        Process p = child;
        return p == null || !p.isAlive() ? -1 : p.pid();
    }

    private void launch(String config) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String property : List.of("logback.configurationFile", "codedeploy.log")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CodeDeployCli.class.getName(), "worker", "--config", "-",
                "--workers", Integer.toString(workers), "--stop-at-end-of-input"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().retainAll(ENVIRONMENT);
        CountDownLatch ready = new CountDownLatch(1);
        try {
            Process started = builder.start();
            child = started;
            Thread output = new Thread(() -> relay(started, ready), "builder-process-output");
            output.setDaemon(true);
            output.start();
            OutputStream in = started.getOutputStream();
            in.write((config + "\n" + END + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            // standard input stays open: the child stops when it closes
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!ready.await(200, TimeUnit.MILLISECONDS)) {
                if (!started.isAlive()) {
                    throw new IllegalStateException("the builder worker process exited with " + started.exitValue()
                            + " before it was ready (its output is above)");
                }
                if (System.nanoTime() > deadline) {
                    started.destroyForcibly();
                    throw new IllegalStateException("the builder worker process did not start within 120 s (pid " + started.pid() + ")");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the builder worker process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the builder worker process started", e);
        }
        log.info("builder workers run in process {} (without the signing key and ZooKeeper credentials)", child.pid());
    }

    /** Copies the child's output to ours, and notes when it says it is ready. */
    private static void relay(Process process, CountDownLatch ready) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                System.out.println(line);
                if (line.startsWith("worker ready")) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            log.debug("builder process output ended: {}", e.getMessage());
        }
    }

    private void supervise(String config) {
        while (isRunning()) {
            try {
                int code = child.waitFor();
                if (!isRunning()) {
                    return;
                }
                log.error("the builder worker process exited with {}; starting it again in {} s", code, RESTART_PAUSE_MS / 1000);
                Thread.sleep(RESTART_PAUSE_MS);
                if (isRunning()) {
                    launch(config);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("cannot start the builder worker process again: {}", e.getMessage());
            }
        }
    }

    @Override
    protected void doClose() {
        if (supervisor != null) {
            supervisor.interrupt();
        }
        Process p = child;
        if (p == null) {
            return;
        }
        try {
            // end of input, then SIGTERM: either makes the child give its jobs back and exit
            p.getOutputStream().close();
        } catch (IOException e) {
            // gone already
        }
        p.destroy();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }
}
