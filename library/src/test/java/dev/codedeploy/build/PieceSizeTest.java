package dev.codedeploy.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PieceSizeTest {

    @Test
    void smallArtifactsGetSmallPiecesAndLargeOnesKeepFourMebibytes() {
        assertThat(PieceSize.of(1)).isEqualTo(1 << 20);
        assertThat(PieceSize.of(128L << 20)).isEqualTo(1 << 20);
        assertThat(PieceSize.of(256L << 20)).isEqualTo(1 << 20);
        assertThat(PieceSize.of((256L << 20) + 1)).isEqualTo(2 << 20);
        assertThat(PieceSize.of(512L << 20)).isEqualTo(2 << 20);
        assertThat(PieceSize.of((512L << 20) + 1)).isEqualTo(4 << 20);
        assertThat(PieceSize.of(10_000_000_000L)).isEqualTo(4 << 20);
        // a 10 GB torrent keeps under 2,500 pieces: about 48 KB of piece hashes
        assertThat(10_000_000_000L / PieceSize.of(10_000_000_000L)).isLessThan(2500);
    }
}
