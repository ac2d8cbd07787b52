package dev.codedeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.codedeploy.agent.AgentConfig;
import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.config.Durations;
import dev.codedeploy.config.EnvironmentSubstitution;
import dev.codedeploy.config.RegionConfig;
import dev.codedeploy.release.ZkLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code codedeploy config check FILE}: loads a configuration with the classes its process uses (the kind told by its
 * sections, or {@code --kind}), then reaches every database, blob store, ZooKeeper ensemble and API server it names,
 * all at once, each within {@code --timeout}, and prints one line per part. Exit 0 when every part answered, 1 when
 * one did not, 2 when the file is not valid (the error names the field).
 */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Check configuration files.",
        subcommands = ConfigCheckCommand.Check.class)
final class ConfigCheckCommand {

    /** The process a configuration is for. */
    enum Kind { SERVER, WORKER, AGENT, SEEDER, CLIENT }

    private static final Set<String> AGENT_FIELDS = Set.of("hostId", "releasePublicKey", "releasePublicKeys", "hostPassword", "dataDir");
    private static final Set<String> CONTROL_PLANE_FIELDS = Set.of("zooKeeper", "regions", "rollout", "api", "deploys", "replication");

    /** One part to reach: how it is named in the output, and the probe that says what it found. */
    record Part(String label, Callable<String> probe) {
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate a configuration (server, worker, agent, seeder or client) and reach each database, blob store,",
                    "ZooKeeper and API server it names. One line per part; exit 0 all ok, 1 a part failed, 2 the file is invalid."})
    static final class Check implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE", description = "The configuration file (YAML, $${ENV} substituted).")
        Path file;

        @Option(names = "--kind", paramLabel = "KIND", description = "server, worker, agent, seeder or client (default: told by its sections).")
        String kind;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
                description = "How long each part may take to answer (default ${DEFAULT-VALUE}).")
        String timeout;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Duration limit = Durations.parse(timeout);
            if (limit.isNegative() || limit.isZero() || limit.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new ConfigException("--timeout " + timeout + " must be positive and at most 5m");
            }
            quietLibraries();
            Kind detected = kind == null ? detect(file) : kindOf(kind);
            List<Part> parts = parts(file, detected, limit);
            PrintWriter out = spec.commandLine().getOut();
            out.println("ok config " + file + " (" + detected.name().toLowerCase(Locale.ROOT) + ")");
            out.flush();
            int failed = run(parts, limit, out);
            out.println(failed == 0 ? "all " + parts.size() + " parts reached" : failed + " of " + parts.size() + " parts failed");
            out.flush();
            return failed == 0 ? CodeDeployCli.OK : CodeDeployCli.FAILED;
        }
    }

    /** The clients' own retry logs would bury the one line per part: each failure is in that line. */
    private static void quietLibraries() {
        for (String name : new String[] {"org.apache.zookeeper", "org.apache.curator", "software.amazon", "com.zaxxer"}) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }
    }

    static Kind kindOf(String text) {
        for (Kind k : Kind.values()) {
            if (k.name().equalsIgnoreCase(text)) {
                return k;
            }
        }
        throw new ConfigException("--kind '" + text + "' is not known: server, worker, agent, seeder or client");
    }

    /** The kind told by the top-level fields. */
    static Kind detect(Path file) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(EnvironmentSubstitution.apply(Files.readString(file)));
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + ": not a YAML mapping of sections");
        }
        List<String> fields = new ArrayList<>();
        root.fieldNames().forEachRemaining(fields::add);
        if (fields.stream().anyMatch(AGENT_FIELDS::contains)) {
            return Kind.AGENT;
        }
        if (fields.contains("database")) {
            return fields.stream().anyMatch(CONTROL_PLANE_FIELDS::contains) || !fields.contains("build") ? Kind.SERVER : Kind.WORKER;
        }
        if (fields.contains("server") || fields.contains("token")) {
            return Kind.CLIENT;
        }
        throw new ConfigException(file + ": cannot tell which process it configures from its sections " + fields
                + " (a server's has database, an agent's releasePublicKeys, a client's server and token): give --kind");
    }

    /** Loads {@code file} as {@code kind} (refusing it with the field at fault) and lists the parts it names. */
    static List<Part> parts(Path file, Kind kind, Duration timeout) {
        List<Part> parts = new ArrayList<>();
        switch (kind) {
            case SERVER, WORKER -> {
                CodeDeployConfig cfg = ConfigLoader.load(file);
                if (kind == Kind.WORKER && (cfg.build() == null || cfg.build().workDir() == null)) {
                    throw new ConfigException(file + ": a worker needs build.workDir");
                }
                parts.add(new Part("database " + cfg.database().url(), () -> ConfigProbes.database(cfg.database(), timeout)));
                parts.add(new Part("blobStore master " + cfg.blobStore().endpoint(), () -> ConfigProbes.blobStore("master", cfg.blobStore())));
                if (cfg.zooKeeper() != null) {
                    parts.add(new Part("zooKeeper master " + cfg.zooKeeper().connectString(),
                            () -> ConfigProbes.zooKeeper(cfg.zooKeeper(), timeout)));
                }
                for (RegionConfig region : cfg.regions()) {
                    parts.add(new Part("blobStore " + region.name() + " " + region.blobStore().endpoint(),
                            () -> ConfigProbes.blobStore(region.name(), region.blobStore())));
                    if (region.zooKeeper() != null) {
                        parts.add(new Part("zooKeeper " + region.name() + " " + region.zooKeeper().connectString(),
                                () -> ConfigProbes.zooKeeper(region.zooKeeper(), timeout)));
                    }
                }
            }
            case AGENT, SEEDER -> {
                AgentConfig cfg = AgentConfig.load(file);
                // with its own identity a host writes only under the node enrollment made (an open region: it makes it)
                String enrolled = cfg.hostCredentials() == null ? null : ZkLayout.host(cfg.environment(), cfg.hostId());
                parts.add(new Part("zooKeeper " + cfg.region() + " " + cfg.zooKeeper().connectString(),
                        () -> ConfigProbes.zooKeeper(cfg.zooKeeper(), cfg.hostCredentials(), enrolled, timeout)));
                parts.add(new Part("blobStore " + cfg.region() + " " + cfg.blobStore().endpoint(),
                        () -> ConfigProbes.blobStore(cfg.region(), cfg.blobStore())));
            }
            case CLIENT -> {
                ClientConfig cfg = ClientConfig.load(file);
                if (cfg.server() == null || cfg.token() == null) {
                    throw new ConfigException(file + ": a client configuration needs both 'server' and 'token'");
                }
                URI server;
                try {
                    server = URI.create(cfg.server().trim());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file + ": field 'server': " + e.getMessage());
                }
                parts.add(new Part("api " + server, () -> ConfigProbes.api(server, cfg.token(), timeout)));
            }
        }
        return parts;
    }

    /** Probes every part at once; prints one line each, in order; returns how many failed. */
    static int run(List<Part> parts, Duration timeout, PrintWriter out) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parts.size()), r -> {
            Thread t = new Thread(r, "config-check");
            t.setDaemon(true); // a probe stuck past its time must not keep the command alive
            return t;
        });
        try {
            List<Future<String>> results = new ArrayList<>();
            for (Part part : parts) {
                results.add(pool.submit(part.probe()));
            }
            long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
            int failed = 0;
            for (int i = 0; i < parts.size(); i++) {
                String reason;
                try {
                    String detail = results.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    out.println("ok " + parts.get(i).label() + " (" + detail + ")");
                    out.flush();
                    continue;
                } catch (TimeoutException e) {
                    results.get(i).cancel(true);
                    reason = "no answer within " + Durations.format(timeout);
                } catch (ExecutionException e) {
                    reason = message(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    reason = "interrupted";
                }
                failed++;
                out.println("FAIL " + parts.get(i).label() + ": " + reason);
                out.flush();
            }
            return failed;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String message(Throwable e) {
        String message = e.getMessage();
        Throwable root = e;
        while ((message == null || message.isBlank()) && root.getCause() != null) {
            root = root.getCause();
            message = root.getMessage();
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.replace('\n', ' ');
    }
}
