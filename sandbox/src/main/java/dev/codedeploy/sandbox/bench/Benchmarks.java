package dev.codedeploy.sandbox.bench;

import java.util.List;
import java.util.Optional;

/** Every benchmark of the sandbox, by name. */
public final class Benchmarks {

    private Benchmarks() {
    }

    /** All benchmarks, in the order {@code --list} shows them. */
    public static List<Benchmark> all() {
        return List.of(
                new QueueBenchmark(),
                new EndToEndBenchmark(),
                new FanoutBenchmark(),
                new ReplicationBenchmark(),
                // one line per benchmark
                new P2pBenchmark(),
                new SwarmBenchmark(),
                new ZkScaleBenchmark()
        );
    }

    /** The benchmark called {@code name}. */
    public static Optional<Benchmark> named(String name) {
        return all().stream().filter(b -> b.name().equals(name)).findFirst();
    }
}
