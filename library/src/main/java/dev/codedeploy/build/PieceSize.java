package dev.codedeploy.build;

/**
 * The BitTorrent piece size of an artifact, chosen by its size. A host can pass a piece on only once it holds all of
 * it, so small pieces start the hosts' uploads sooner; but bt pays per piece (a hash, a have message to every peer, an
 * assignment), so very small pieces cost more than they save, and a large build keeps 4 MiB pieces so that its
 * metainfo stays small (10 GB: 2,560 pieces, about 50 KB). The thresholds come from {@code bench p2p}
 * (docs/benchmarks.md): 1 MiB pieces beat 4 MiB ones on 128 MiB, 256 KiB ones were slower than both.
 */
public final class PieceSize {

    /** The smallest piece size used. */
    public static final int MIN = 1 << 20;
    /** The largest piece size used. */
    public static final int MAX = 4 << 20;
    /** Artifacts up to this size get {@link #MIN}; above it the piece size doubles with the size, up to {@link #MAX}. */
    static final long SMALL = 256L << 20;

    private PieceSize() {
    }

    /** The piece size of an artifact of {@code size} bytes: 1 MiB up to 256 MiB, 2 MiB up to 512 MiB, then 4 MiB. */
    public static int of(long size) {
        int piece = MIN;
        long limit = SMALL;
        while (piece < MAX && size > limit) {
            piece <<= 1;
            limit <<= 1;
        }
        return piece;
    }
}
