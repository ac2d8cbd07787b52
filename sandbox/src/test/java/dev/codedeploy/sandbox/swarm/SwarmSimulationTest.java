package dev.codedeploy.sandbox.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SwarmSimulationTest {

    private static final long MB = 1_000_000;

    /** One seeder, two hosts, every link 8 Mbit/s, one piece at a time everywhere. */
    private static SwarmModel twoHosts(long size, int pieceSize, int seederSlots, boolean superSeed) {
        return new SwarmModel(2, 1, size, pieceSize, 8, 8, 8, 1, 0, 1, 1, seederSlots, 1, superSeed, 0, 1);
    }

    @Test
    void twoHostsShareTheSeedersUploadForOnePiece() {
        // one 1 MB piece: the seeder sends it to both hosts at once, 4 Mbit/s each: 2 s
        SwarmSimulation.Outcome outcome = new SwarmSimulation(twoHosts(MB, (int) MB, 2, true)).run();
        assertThat(outcome.p100Seconds()).isCloseTo(2.0, within(1e-9));
        assertThat(outcome.p50Seconds()).isCloseTo(2.0, within(1e-9));
        assertThat(outcome.seederCopies()).isCloseTo(2.0, within(1e-9));
        assertThat(outcome.boundSeconds()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aHostPassesOnWhatTheSeederSentIt() {
        // two 1 MB pieces, the seeder serves one host (A) at 8 Mbit/s: A has piece x at 1 s, then the other at 2 s
        // (done); B, A's peer, gets x from A from 1 s to 2 s, then the other from A or from the seeder (which takes B
        // when A is done), 1 s either way: done at 3 s
        SwarmSimulation.Outcome outcome = new SwarmSimulation(twoHosts(2 * MB, (int) MB, 1, true)).run();
        assertThat(outcome.doneSeconds()).containsExactly(2.0, 3.0);
        assertThat(outcome.p50Seconds()).isEqualTo(2.0);
        assertThat(outcome.p100Seconds()).isEqualTo(3.0);
        // bound: the seeder sends 2 MB at 8 Mbit/s = 2 s; the swarm needs 4 MB from 24 Mbit/s of uploads = 1.33 s
        assertThat(outcome.boundSeconds()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void aSuperSeederSendsEveryPieceOnceBeforeAnyTwice() {
        SwarmModel model = SwarmModel.withAgentDefaults(50, 1, 64 * MB, 50, 50).withSlots(4, 8, 1);
        SwarmSimulation.Outcome superSeeded = new SwarmSimulation(model.withSuperSeed(true)).run();
        SwarmSimulation.Outcome plain = new SwarmSimulation(model.withSuperSeed(false)).run();
        assertThat(superSeeded.p100Seconds()).isLessThan(plain.p100Seconds());
        assertThat(superSeeded.seederCopies()).isLessThan(plain.seederCopies());
    }

    @Test
    void zonePreferenceKeepsMostBytesInTheZone() {
        SwarmModel model = SwarmModel.withAgentDefaults(400, 4, 32 * MB, 1000, 1000);
        SwarmSimulation.Outcome anyZone = new SwarmSimulation(model.withZones(4, 0)).run();
        SwarmSimulation.Outcome ownZone = new SwarmSimulation(model.withZones(4, 0.9)).run();
        assertThat(anyZone.crossZoneShare()).isGreaterThan(0.6);
        assertThat(ownZone.crossZoneShare()).isLessThan(0.2);
    }
}
