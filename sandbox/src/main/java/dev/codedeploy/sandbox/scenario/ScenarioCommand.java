package dev.codedeploy.sandbox.scenario;

import dev.codedeploy.sandbox.RunsInWorkDir;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code scenario NAME}: run one fault-injection scenario. */
@Command(name = "scenario", mixinStandardHelpOptions = true, description = "Inject a fault and show that the system survives it.")
public final class ScenarioCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The scenario; --list shows them.")
    String name;

    @Option(names = "--list", description = "List the scenarios.")
    boolean list;

    @Option(names = "--work-dir", description = "Parent folder for the run (default: the temporary folder).")
    Path workDir;

    @Option(names = "--keep", description = "Keep the run's folder.")
    boolean keep;

    @Option(names = "--set", description = "Scenario option key=value (see each scenario).")
    Map<String, String> options = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (list || name == null) {
            Scenarios.all().forEach(s -> System.out.printf("%-28s %s%n", s.name(), s.description()));
            return name == null && !list ? 2 : 0;
        }
        Scenario scenario = Scenarios.named(name).orElse(null);
        if (scenario == null) {
            System.err.println("no scenario '" + name + "'; known: " + Scenarios.all().stream().map(Scenario::name).toList());
            return 2;
        }
        return RunsInWorkDir.run("scenario=" + name, workDir, keep, options, System.out, scenario::run);
    }
}
