package dev.codedeploy.agent;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.lifecycle.AbstractService;
import dev.codedeploy.lifecycle.Shutdown;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code codedeploy-agent --config agent.yml [--seed]}: the host agent (or, with {@code --seed}, the regional
 * seeder) until SIGTERM or SIGINT. Exit codes: 0 stopped, 1 failed, 2 bad configuration or usage.
 */
@Command(name = "codedeploy-agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Follow an environment's release: download it from peers, verify, install, switch, health-check, report.")
public final class AgentMain implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "Configuration file (YAML).")
    Path config;

    @Option(names = "--seed", description = "Run as the regional seeder: fetch each release from the blob store and seed it.")
    boolean seed;

    @Option(names = "--host-id", description = "Overrides hostId.")
    String hostId;

    @Option(names = "--data-dir", description = "Overrides dataDir.")
    Path dataDir;

    @Option(names = "--bt-address", description = "Overrides bt.address.")
    String btAddress;

    @Option(names = "--bt-port", description = "Overrides bt.port.")
    Integer btPort;

    /** Runs the agent and exits with its code. */
    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "codedeploy-agent-logback.xml");
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new AgentMain());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("error: " + e.getMessage());
            return e instanceof InvalidInputException || e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig cfg = AgentConfig.load(config).withOverrides(hostId, dataDir, btAddress, btPort);
        AbstractService service = seed ? new Seeder(cfg) : new HostAgent(cfg);
        CountDownLatch stopRequested = new CountDownLatch(1);
        // SIGTERM and SIGINT are a requested stop: close, then exit 0 through main (the JVM's own handling exits 143)
        StopSignals.handle(stopRequested::countDown);
        // any other way out (System.exit elsewhere, SIGHUP) still closes the service; closing twice does nothing
        Shutdown shutdown = Shutdown.onSignal(seed ? "seeder" : "agent", service);
        service.start();
        System.out.println((seed ? "seeder" : "agent") + " ready: " + cfg);
        System.out.flush();
        stopRequested.await();
        shutdown.closeAll();
        System.out.println((seed ? "seeder" : "agent") + " stopped");
        System.out.flush();
        return 0;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AgentMain.class.getPackage().getImplementationVersion();
            return new String[] {"codedeploy-agent " + (version == null ? "development build" : version)};
        }
    }
}
