package dev.codedeploy.agent.testing;

import bt.torrent.maker.TorrentBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Artifacts and their torrents, made the way a build makes them. */
public final class Artifacts {

    private Artifacts() {
    }

    /** Writes {@code size} pseudo-random bytes (from {@code seed}) to {@code folder/artifact}. */
    public static Path randomFile(Path folder, long size, long seed) {
        try {
            Files.createDirectories(folder);
            Path file = folder.resolve("artifact");
            Random random = new Random(seed);
            byte[] buffer = new byte[1 << 16];
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long written = 0; written < size; written += buffer.length) {
                    random.nextBytes(buffer);
                    out.write(buffer, 0, (int) Math.min(buffer.length, size - written));
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The .torrent of {@code artifact} as a build makes it: 4 MiB pieces (or {@code pieceSize}), no announce. */
    public static byte[] torrent(Path artifact, int pieceSize) {
        return new TorrentBuilder().addFile(artifact).rootPath(artifact.getParent()).pieceSize(pieceSize)
                .numHashingThreads(2).createdBy("codedeploy").build();
    }

    /** A free TCP port on loopback. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
