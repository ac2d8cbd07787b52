package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.agent.AgentConfig;
import dev.codedeploy.sandbox.cluster.AgentProcess;
import dev.codedeploy.sandbox.cluster.AgentRegion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the agent scenarios share: starting a seeder and named hosts, and looking at a host's disk. */
final class AgentHosts {

    private AgentHosts() {
    }

    /** Host ids {@code host-1} to {@code host-n}. */
    static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add("host-" + i);
        }
        return names;
    }

    /** Starts the seeder and one agent per name, each with its default data folder. */
    static Map<String, AgentProcess> start(AgentRegion region, List<String> hosts, ScenarioContext context) {
        region.start(region.config("seeder", region.dataDir("seeder")), true);
        Map<String, AgentProcess> agents = new LinkedHashMap<>();
        for (String host : hosts) {
            agents.put(host, region.start(region.config(host, region.dataDir(host)), false));
        }
        context.say("started the seeder and %d agents (logs in %s)", hosts.size(), region.folder().resolve("agents"));
        return agents;
    }

    /** Starts one agent for {@code config}. */
    static AgentProcess start(AgentRegion region, AgentConfig config) {
        return region.start(config, false);
    }

    /**
     * Runs {@code current/bin/app --health} of the host in {@code dataDir} and returns what it printed, or null when
     * it failed: the release the host serves.
     */
    static String serving(Path dataDir) throws IOException, InterruptedException {
        Path app = dataDir.resolve("current/bin/app");
        if (!Files.isExecutable(app)) {
            return null;
        }
        Process process = new ProcessBuilder(app.toString(), "--health").redirectErrorStream(true).start();
        String out;
        try (InputStream in = process.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return null;
        }
        return process.exitValue() == 0 ? out : null;
    }

    /** The target of the host's {@code current} link, or null. */
    static String currentTarget(Path dataDir) throws IOException {
        Path link = dataDir.resolve("current");
        return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).toString() : null;
    }
}
