package dev.codedeploy.sandbox.bench;

import dev.codedeploy.sandbox.RunsInWorkDir;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bench NAME}: run one benchmark. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure against a peer or a physical bound.")
public final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The benchmark; --list shows them.")
    String name;

    @Option(names = "--list", description = "List the benchmarks.")
    boolean list;

    @Option(names = "--work-dir", description = "Parent folder for the run (default: the temporary folder).")
    Path workDir;

    @Option(names = "--keep", description = "Keep the run's folder.")
    boolean keep;

    @Option(names = "--set", description = "Benchmark option key=value (see each benchmark).")
    Map<String, String> options = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (list || name == null) {
            Benchmarks.all().forEach(b -> System.out.printf("%-16s %s%n", b.name(), b.description()));
            return name == null && !list ? 2 : 0;
        }
        Benchmark benchmark = Benchmarks.named(name).orElse(null);
        if (benchmark == null) {
            System.err.println("no benchmark '" + name + "'; known: " + Benchmarks.all().stream().map(Benchmark::name).toList());
            return 2;
        }
        return RunsInWorkDir.run("bench=" + name, workDir, keep, options, System.out, benchmark::run);
    }
}
