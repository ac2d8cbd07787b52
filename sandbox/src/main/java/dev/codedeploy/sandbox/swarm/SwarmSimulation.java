package dev.codedeploy.sandbox.swarm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A piece-level, event-driven simulation of one region's swarm: {@link SwarmModel#seeders()} seeders and
 * {@link SwarmModel#hosts()} hosts exchange pieces until every host holds every piece.
 *
 * <p>What it plays, and what it leaves out:
 * <ul>
 *   <li>Each host connects to {@code peersPerHost} peers (half chosen by itself, half choosing it), a share
 *       {@code zonePreference} of them in its own zone; a seeder serves {@code seederSlots} hosts at a time, and
 *       takes another host (of its zone first) when one finishes.</li>
 *   <li>A node uploads a fixed number of pieces at once ({@code uploadSlots} for a host, {@code seederSlots} times
 *       {@code piecesPerPeer} for a seeder), each at an equal share of its upload, no faster than the receiver's
 *       download share; a host fetches at most {@code piecesPerPeer} pieces from one peer at once. A piece costs
 *       {@code pieceOverheadS} on top of its bytes. Links are otherwise ideal: no latency, no loss, no congestion.</li>
 *   <li>A host asks its peers in random order for a random piece it lacks and nobody is sending it (bt: randomized
 *       rarest first); a super-seeding seeder gives each piece out once before any twice, seeder {@code i} of
 *       {@code n} starting with the pieces {@code p} where {@code p mod n == i}.</li>
 *   <li>Nothing is re-scheduled by time: a transfer starts when a download slot or an upload slot frees up or a peer
 *       gains a piece, which is when bt would find new work too.</li>
 * </ul>
 */
public final class SwarmSimulation {

    private final SwarmModel model;
    private final int nodes;
    private final int seeders;
    private final int pieces;
    private final int words;
    private final long[][] have;
    private final long[][] inflight;
    private final int[] haveCount;
    private final int[] zone;
    private final int[][] neighbors;
    private final List<List<Integer>> seederLinks;
    private final int[] linkedSeeder;
    private final int[] activeUp;
    private final int[] activeDown;
    private final int[] maxUp;
    private final int[] maxDown;
    private final double[] upBps;
    private final double[] downBps;
    private final List<List<Transfer>> incoming;
    private final long[] offered;
    private int offeredCount;
    private final double[] doneAt;
    private final SplittableRandom random;
    private final PriorityQueue<Transfer> queue = new PriorityQueue<>((a, b) -> Double.compare(a.end, b.end));
    private final long[] scratch;
    private double now;
    private long seederBytes;
    private long crossZoneBytes;
    private long totalBytes;
    private int done;

    private record Transfer(int src, int dst, int piece, double end) {
    }

    /** What a run gives. */
    public record Outcome(double p50Seconds, double p99Seconds, double p100Seconds, double boundSeconds, double seederCopies,
                          double crossZoneShare, double[] doneSeconds) {

        /** The time until every host held the build, over the bound. */
        public double overBound() {
            return p100Seconds / boundSeconds;
        }
    }

    public SwarmSimulation(SwarmModel model) {
        this.model = model;
        this.seeders = model.seeders();
        this.nodes = seeders + model.hosts();
        this.pieces = model.pieces();
        this.words = (pieces + 63) / 64;
        this.have = new long[nodes][words];
        this.inflight = new long[nodes][];
        this.haveCount = new int[nodes];
        this.zone = new int[nodes];
        this.neighbors = new int[nodes][];
        this.seederLinks = new ArrayList<>();
        this.linkedSeeder = new int[nodes];
        this.activeUp = new int[nodes];
        this.activeDown = new int[nodes];
        this.maxUp = new int[nodes];
        this.maxDown = new int[nodes];
        this.upBps = new double[nodes];
        this.downBps = new double[nodes];
        this.incoming = new ArrayList<>(nodes);
        this.offered = new long[words];
        this.doneAt = new double[model.hosts()];
        this.random = new SplittableRandom(model.seed());
        this.scratch = new long[words];
        build();
    }

    private void build() {
        Arrays.fill(linkedSeeder, -1);
        for (int i = 0; i < nodes; i++) {
            zone[i] = (i < seeders ? i : i - seeders) % model.zones();
            incoming.add(i < seeders ? List.of() : new ArrayList<>(4));
        }
        for (int s = 0; s < seeders; s++) {
            for (int p = 0; p < pieces; p++) {
                have[s][p >> 6] |= 1L << p;
            }
            haveCount[s] = pieces;
            upBps[s] = model.seederMbps() * 1e6;
            maxUp[s] = Math.max(1, model.seederSlots() * model.piecesPerPeer());
        }
        double share = model.hostUpMbps() / model.uploadSlots();
        for (int h = seeders; h < nodes; h++) {
            inflight[h] = new long[words];
            upBps[h] = model.hostUpMbps() * 1e6;
            downBps[h] = model.hostDownMbps() * 1e6;
            maxUp[h] = model.uploadSlots();
            maxDown[h] = (int) Math.max(1, Math.min((long) model.peersPerHost() * model.piecesPerPeer(), Math.round(model.hostDownMbps() / share)));
        }
        connectHosts();
        for (int s = 0; s < seeders; s++) {
            seederLinks.add(new ArrayList<>());
            for (int i = 0; i < model.seederSlots(); i++) {
                linkNewHost(s);
            }
        }
    }

    /** Each host picks half its peers; the other half pick it. Zones by preference. */
    private void connectHosts() {
        int hosts = model.hosts();
        int want = Math.min(hosts - 1, model.peersPerHost());
        int[][] lists = new int[nodes][want + 1];
        int[] sizes = new int[nodes];
        for (int h = seeders; h < nodes; h++) {
            int tries = 0;
            while (sizes[h] < (want + 1) / 2 && tries++ < 20 * want) {
                int peer = pickHost(h);
                if (peer != h && sizes[peer] < want && !contains(lists[h], sizes[h], peer)) {
                    lists[h][sizes[h]++] = peer;
                    lists[peer][sizes[peer]++] = h;
                }
            }
        }
        for (int h = seeders; h < nodes; h++) {
            neighbors[h] = Arrays.copyOf(lists[h], sizes[h]);
        }
    }

    private int pickHost(int of) {
        int hosts = model.hosts();
        int zones = model.zones();
        if (zones > 1 && random.nextDouble() < model.zonePreference()) {
            int perZone = (hosts + zones - 1 - zone[of]) / zones;
            int k = random.nextInt(Math.max(1, perZone));
            return seeders + zone[of] + k * zones;
        }
        return seeders + random.nextInt(hosts);
    }

    private static boolean contains(int[] list, int size, int value) {
        for (int i = 0; i < size; i++) {
            if (list[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** Gives seeder {@code s} another unfinished host without a seeder (its zone first); false when none is left. */
    private boolean linkNewHost(int s) {
        int hosts = model.hosts();
        for (int tries = 0; tries < 64; tries++) {
            int h = tries < 48 ? pickHostInZone(zone[s]) : seeders + random.nextInt(hosts);
            if (h >= seeders && haveCount[h] < pieces && linkedSeeder[h] < 0) {
                linkedSeeder[h] = s;
                seederLinks.get(s).add(h);
                return true;
            }
        }
        for (int h = seeders; h < nodes; h++) {
            if (haveCount[h] < pieces && linkedSeeder[h] < 0) {
                linkedSeeder[h] = s;
                seederLinks.get(s).add(h);
                return true;
            }
        }
        return false;
    }

    private int pickHostInZone(int z) {
        int zones = model.zones();
        int perZone = (model.hosts() + zones - 1 - z) / zones;
        return perZone <= 0 ? seeders + random.nextInt(model.hosts()) : seeders + z + random.nextInt(perZone) * zones;
    }

    /** Runs until every host holds the build. */
    public Outcome run() {
        for (int h = seeders; h < nodes; h++) {
            fetch(h);
        }
        for (int s = 0; s < seeders; s++) {
            serve(s);
        }
        while (done < model.hosts()) {
            Transfer t = queue.poll();
            if (t == null) {
                throw new IllegalStateException("the swarm stalled at " + now + " s with " + done + " of " + model.hosts() + " hosts done");
            }
            now = t.end;
            complete(t);
        }
        double[] sorted = doneAt.clone();
        Arrays.sort(sorted);
        return new Outcome(percentile(sorted, 0.50), percentile(sorted, 0.99), sorted[sorted.length - 1], model.boundSeconds(),
                (double) seederBytes / model.sizeBytes(), totalBytes == 0 ? 0 : (double) crossZoneBytes / totalBytes, sorted);
    }

    private static double percentile(double[] sorted, double share) {
        return sorted[Math.max(0, (int) Math.ceil(share * sorted.length) - 1)];
    }

    private void complete(Transfer t) {
        activeUp[t.src]--;
        activeDown[t.dst]--;
        incoming.get(t.dst).remove(t);
        inflight[t.dst][t.piece >> 6] &= ~(1L << t.piece);
        have[t.dst][t.piece >> 6] |= 1L << t.piece;
        long bytes = model.pieceBytes(t.piece);
        totalBytes += bytes;
        if (t.src < seeders) {
            seederBytes += bytes;
        }
        if (zone[t.src] != zone[t.dst]) {
            crossZoneBytes += bytes;
        }
        if (++haveCount[t.dst] == pieces) {
            doneAt[t.dst - seeders] = now;
            done++;
            int s = linkedSeeder[t.dst];
            if (s >= 0) {
                seederLinks.get(s).remove((Integer) t.dst);
                linkedSeeder[t.dst] = -1;
                linkNewHost(s);
                serve(s);
            }
        } else {
            fetch(t.dst);
        }
        serve(t.src);
        serve(t.dst);
    }

    /** Fills {@code h}'s free download slots from its peers and its seeder. */
    private void fetch(int h) {
        int[] peers = neighbors[h];
        int count = peers.length + (linkedSeeder[h] >= 0 ? 1 : 0);
        if (count == 0) {
            return;
        }
        int start = random.nextInt(count);
        for (int i = 0; i < count && activeDown[h] < maxDown[h] && haveCount[h] < pieces; i++) {
            int k = (start + i) % count;
            int src = k < peers.length ? peers[k] : linkedSeeder[h];
            while (activeUp[src] < maxUp[src] && activeDown[h] < maxDown[h] && fromPeer(src, h) < model.piecesPerPeer()) {
                if (!start(src, h)) {
                    break;
                }
            }
        }
    }

    /** Fills {@code src}'s free upload slots with what its peers lack. */
    private void serve(int src) {
        if (activeUp[src] >= maxUp[src] || haveCount[src] == 0) {
            return;
        }
        if (src < seeders) {
            List<Integer> linked = seederLinks.get(src);
            for (int i = 0; i < linked.size() && activeUp[src] < maxUp[src]; i++) {
                int h = linked.get(i);
                while (activeUp[src] < maxUp[src] && activeDown[h] < maxDown[h] && fromPeer(src, h) < model.piecesPerPeer()) {
                    if (!start(src, h)) {
                        break;
                    }
                }
            }
            return;
        }
        int[] peers = neighbors[src];
        if (peers.length == 0) {
            return;
        }
        int start = random.nextInt(peers.length);
        for (int i = 0; i < peers.length && activeUp[src] < maxUp[src]; i++) {
            int h = peers[(start + i) % peers.length];
            if (haveCount[h] < pieces && activeDown[h] < maxDown[h] && fromPeer(src, h) < model.piecesPerPeer()) {
                start(src, h);
            }
        }
    }

    private int fromPeer(int src, int dst) {
        int n = 0;
        for (Transfer t : incoming.get(dst)) {
            if (t.src == src) {
                n++;
            }
        }
        return n;
    }

    /** Starts a piece from {@code src} to {@code dst}, if {@code src} has one that {@code dst} wants. */
    private boolean start(int src, int dst) {
        int piece = choose(src, dst);
        if (piece < 0) {
            return false;
        }
        inflight[dst][piece >> 6] |= 1L << piece;
        if (src < seeders && model.superSeed() && (offered[piece >> 6] & (1L << piece)) == 0) {
            offered[piece >> 6] |= 1L << piece;
            offeredCount++;
        }
        double rate = Math.min(upBps[src] / maxUp[src], downBps[dst] / maxDown[dst]);
        double seconds = model.pieceBytes(piece) * 8.0 / rate + model.pieceOverheadS();
        Transfer t = new Transfer(src, dst, piece, now + seconds);
        activeUp[src]++;
        activeDown[dst]++;
        incoming.get(dst).add(t);
        queue.add(t);
        return true;
    }

    private int choose(int src, int dst) {
        long[] mine = have[src];
        long[] theirs = have[dst];
        long[] coming = inflight[dst];
        boolean phaseOne = src < seeders && model.superSeed() && offeredCount < pieces;
        int found = candidates(mine, theirs, coming, phaseOne, phaseOne ? src : -1);
        if (found == 0 && phaseOne) {
            found = candidates(mine, theirs, coming, true, -1);
        }
        if (found == 0) {
            return -1;
        }
        int pick = random.nextInt(found);
        for (int w = 0; w < words; w++) {
            int bits = Long.bitCount(scratch[w]);
            if (pick < bits) {
                long word = scratch[w];
                for (int i = 0; i < pick; i++) {
                    word &= word - 1;
                }
                return (w << 6) + Long.numberOfTrailingZeros(word);
            }
            pick -= bits;
        }
        return -1;
    }

    /** Fills {@link #scratch} with the pieces {@code src} could send {@code dst}; returns how many. */
    private int candidates(long[] mine, long[] theirs, long[] coming, boolean notOffered, int shareOf) {
        int count = 0;
        for (int w = 0; w < words; w++) {
            long word = mine[w] & ~theirs[w] & ~coming[w];
            if (notOffered) {
                word &= ~offered[w];
            }
            if (shareOf >= 0 && seeders > 1) {
                word &= shareMask(w, shareOf);
            }
            scratch[w] = word;
            count += Long.bitCount(word);
        }
        return count;
    }

    /** Pieces p of word w with p mod seeders == s. */
    private long shareMask(int w, int s) {
        long mask = 0;
        for (int b = 0; b < 64; b++) {
            if (((w << 6) + b) % seeders == s) {
                mask |= 1L << b;
            }
        }
        return mask;
    }
}
