package dev.codedeploy.sandbox.bench;

import dev.codedeploy.agent.p2p.PeerNetworkConfig;
import dev.codedeploy.build.PieceSize;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.scenario.ScenarioContext;
import dev.codedeploy.sandbox.swarm.SwarmModel;
import dev.codedeploy.sandbox.swarm.SwarmSimulation;

/**
 * {@code bench swarm}: the piece-level simulation of one region's swarm ({@link SwarmSimulation}) with the agents'
 * policy settings ({@link PeerNetworkConfig#defaults()}, the builders' {@link PieceSize}). First it is calibrated at the
 * shape of {@code bench p2p} (12 hosts, 128 MiB, 50 Mbit/s links, one seeder) against a time measured there
 * ({@code measuredP2pS}); then it runs at the design's shape: {@code hosts} (20,000) in {@code zones} (4), a build of
 * {@code sizeGb} (10, decimal), host links of {@code hostGbit} (10) with an upload limit of {@code uploadLimitMbit}
 * (1,000), {@code seeders} (4) of {@code seederGbit} (25) each. Other options: {@code zonePreference} (0.9), {@code seederSlots},
 * {@code piecesPerPeer}, {@code uploadSlots} (4), {@code pieceOverheadMs} (calibrated), {@code superSeed}, {@code calHosts},
 * {@code calPieceKb}.
 */
public final class SwarmBenchmark implements Benchmark {

    /** bench p2p at 12 hosts, the last recorded run with the defaults (docs/benchmarks.md). */
    static final double MEASURED_P2P_S = 0;

    @Override
    public String name() {
        return "swarm";
    }

    @Override
    public String description() {
        return "simulated swarm of one region (calibrated on bench p2p), time until every host holds a 10 GB build";
    }

    @Override
    public Result run(ScenarioContext context) {
        PeerNetworkConfig agent = PeerNetworkConfig.defaults();
        double overhead = context.intOption("pieceOverheadMs", 0) / 1000.0;
        int uploadSlots = context.intOption("uploadSlots", 4);
        int piecesPerPeer = context.intOption("piecesPerPeer", agent.piecesPerPeer());
        boolean superSeed = Boolean.parseBoolean(context.option("superSeed", Boolean.toString(agent.superSeed())));

        long calSize = 128L << 20;
        int calPiece = context.intOption("calPieceKb", PieceSize.of(calSize) >> 10) << 10;
        SwarmModel calibration = SwarmModel.withAgentDefaults(context.intOption("calHosts", 12), 1, calSize, 50, 50)
                .withPieceSize(calPiece).withSlots(uploadSlots, context.intOption("calSeederSlots", agent.seederSlots()), piecesPerPeer)
                .withSuperSeed(superSeed).withPieceOverhead(overhead);
        SwarmSimulation.Outcome cal = new SwarmSimulation(calibration).run();
        double measured = Double.parseDouble(context.option("measuredP2pS", Double.toString(MEASURED_P2P_S)));
        context.say("calibration (bench p2p's shape, %d KiB pieces): simulated %.1f s, bound %.1f s, measured %.1f s", calPiece >> 10,
                cal.p100Seconds(), cal.boundSeconds(), measured);

        int hosts = context.intOption("hosts", 20_000);
        double sizeGb = Double.parseDouble(context.option("sizeGb", "10"));
        long size = (long) (sizeGb * 1e9);
        double hostMbit = context.intOption("hostGbit", 10) * 1000.0;
        double upMbit = Math.min(hostMbit, context.intOption("uploadLimitMbit", 1000));
        int seeders = context.intOption("seeders", 4);
        double seederMbit = context.intOption("seederGbit", 25) * 1000.0;
        int zones = context.intOption("zones", 4);
        double preference = Double.parseDouble(context.option("zonePreference", "0.9"));
        int seederSlots = context.intOption("seederSlots", agent.seederSlots());
        SwarmModel design = SwarmModel.withAgentDefaults(hosts, seeders, size, upMbit, seederMbit)
                .withLinks(upMbit, hostMbit).withZones(zones, preference).withSlots(uploadSlots, seederSlots, piecesPerPeer)
                .withSuperSeed(superSeed).withPieceOverhead(overhead);
        long start = System.nanoTime();
        SwarmSimulation.Outcome run = new SwarmSimulation(design).run();
        context.say("design: %,d hosts in %d zones, %.0f GB in %d pieces of %d MiB, host upload %.0f Mbit/s, %d seeders of %.0f Gbit/s"
                        + " serving %d hosts each; simulated in %.1f s", hosts, zones, sizeGb, design.pieces(), design.pieceSize() >> 20, upMbit,
                seeders, seederMbit / 1000, seederSlots, (System.nanoTime() - start) / 1e9);
        context.say("hosts holding the build: 50%% at %.1f s, 99%% at %.1f s, 100%% at %.1f s; bound %.1f s; seeders sent %.2f copies;"
                + " %.1f%% of bytes crossed zones", run.p50Seconds(), run.p99Seconds(), run.p100Seconds(), run.boundSeconds(), run.seederCopies(),
                100 * run.crossZoneShare());
        return Result.bench(name()).put("hosts", hosts).put("size_gb", sizeGb).put("p50_s", run.p50Seconds()).put("p99_s", run.p99Seconds())
                .put("p100_s", run.p100Seconds()).put("bound_s", run.boundSeconds()).put("over_bound", run.overBound())
                .put("seeder_copies", run.seederCopies()).put("cross_zone_share", run.crossZoneShare())
                .put("calibration_s", cal.p100Seconds()).put("calibration_ratio", measured > 0 ? cal.p100Seconds() / measured : Double.NaN);
    }
}
