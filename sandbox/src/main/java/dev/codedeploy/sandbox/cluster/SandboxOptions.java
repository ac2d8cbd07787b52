package dev.codedeploy.sandbox.cluster;

import java.time.Duration;
import java.util.List;

/**
 * The shape of a {@link SandboxCluster}.
 *
 * @param regions         how many regions (at most {@link SandboxCluster#REGION_NAMES}'s size)
 * @param agentsPerRegion host agents per region, besides the region's seeder
 * @param workers         builder workers in the server process
 * @param heartbeat       the builders' heartbeat interval
 * @param waves           the rollout's waves
 * @param bakeTime        how long a wave stays healthy before the next opens
 * @param optimizingJit   whether the server and agent JVMs run the optimizing compiler (C2), as production JVMs do:
 *                        for benchmarks, where hashing speed matters (the JDK's SHA and MD5 intrinsics are C2's, ten
 *                        times faster here than C1's code); off, they stop at C1 and start sooner (tests, the demo)
 */
public record SandboxOptions(int regions, int agentsPerRegion, int workers, Duration heartbeat, List<Integer> waves, Duration bakeTime,
                             boolean optimizingJit) {

    /** The demo: 5 regions with 3 hosts each. */
    public static final SandboxOptions DEMO = new SandboxOptions(5, 3, 2, Duration.ofSeconds(3), List.of(34, 67, 100), Duration.ofSeconds(1),
            false);

    public SandboxOptions {
        if (regions < 1 || regions > SandboxCluster.REGION_NAMES.size()) {
            throw new IllegalArgumentException("regions must be 1 to " + SandboxCluster.REGION_NAMES.size() + ", got " + regions);
        }
        if (agentsPerRegion < 1 || agentsPerRegion > 50) {
            throw new IllegalArgumentException("agents per region must be 1 to 50, got " + agentsPerRegion);
        }
    }

    /** The same with another shape. */
    public SandboxOptions withRegions(int count, int agents) {
        return new SandboxOptions(count, agents, workers, heartbeat, waves, bakeTime, optimizingJit);
    }

    /** The same with the JVMs of production: the optimizing compiler on. */
    public SandboxOptions withOptimizingJit() {
        return new SandboxOptions(regions, agentsPerRegion, workers, heartbeat, waves, bakeTime, true);
    }

    /** The JVM options that choose the compilers (later options win over {@link ChildProcess}'s defaults). */
    List<String> jitOptions() {
        return List.of(optimizingJit ? "-XX:TieredStopAtLevel=4" : "-XX:TieredStopAtLevel=1");
    }
}
