package dev.codedeploy.build;

import bt.torrent.maker.TorrentBuilder;
import java.nio.file.Path;

/**
 * Makes the .torrent of an artifact with bt's {@link TorrentBuilder}: 4 MiB pieces (a 10 GB file has 2,560, so the
 * metainfo stays around 50 KB), no announce URL (peers come from ZooKeeper), not private (bt asks custom peer
 * sources only for public torrents).
 */
final class ArtifactTorrent {

    /** 4 MiB. */
    static final int PIECE_SIZE = 4 << 20;

    private ArtifactTorrent() {
    }

    static byte[] make(Path artifact) {
        return new TorrentBuilder()
                .addFile(artifact)
                .rootPath(artifact.getParent())
                .pieceSize(PIECE_SIZE)
                .numHashingThreads(Math.max(1, Runtime.getRuntime().availableProcessors()))
                .createdBy("codedeploy")
                .build();
    }
}
