package dev.codedeploy.build;

import bt.torrent.maker.TorrentBuilder;
import java.nio.file.Path;

/**
 * Makes the .torrent of an artifact with bt's {@link TorrentBuilder}: pieces of {@link PieceSize#of} the artifact's size,
 * no announce URL (peers come from ZooKeeper), not private (bt asks custom peer sources only for public torrents).
 */
final class ArtifactTorrent {

    private ArtifactTorrent() {
    }

    static byte[] make(Path artifact, int pieceSize) {
        return new TorrentBuilder()
                .addFile(artifact)
                .rootPath(artifact.getParent())
                .pieceSize(pieceSize)
                .numHashingThreads(Math.max(1, Runtime.getRuntime().availableProcessors()))
                .createdBy("codedeploy")
                .build();
    }
}
