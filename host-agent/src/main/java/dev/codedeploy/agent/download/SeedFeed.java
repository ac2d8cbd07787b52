package dev.codedeploy.agent.download;

import bt.metainfo.Torrent;
import dev.codedeploy.agent.install.ReleaseStore;
import dev.codedeploy.agent.p2p.Swarm;
import dev.codedeploy.blob.BlobNotFoundException;
import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.blob.BlobStoreException;
import dev.codedeploy.release.Release;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.http.Abortable;

/**
 * The regional seeder's fetch when it super-seeds: the artifact streams from the regional blob store into the file
 * bt seeds, and each piece is served as soon as it is written and its SHA-1 matches the torrent's. Hosts download
 * from the moment of publication instead of waiting for the whole fetch and for bt's check of the file; the seeder's
 * fetch and the hosts' downloads overlap.
 *
 * <p>The sha256 of the whole is computed on the way: a file that does not match the signed release is discarded (the
 * pieces already served matched the torrent, and every host checks the sha256 of the whole before it installs).
 */
public final class SeedFeed {

    private static final int BUFFER = 1 << 20;

    private final BlobStore blobs;
    private final ReleaseStore store;

    public SeedFeed(BlobStore blobs, ReleaseStore store) {
        this.blobs = blobs;
        this.store = store;
    }

    /**
     * Streams {@code release}'s artifact into {@code swarm} (fed, its file already checked by bt).
     *
     * @return false when no longer {@code wanted} (the file is left as it is)
     * @throws DownloadFailedException when the blob store fails, or the bytes match neither the torrent nor the release
     */
    public boolean feed(Release release, Torrent torrent, Swarm swarm, BooleanSupplier wanted) {
        long build = release.buildId();
        int pieceSize = (int) torrent.getChunkSize();
        List<byte[]> hashes = new ArrayList<>();
        torrent.getChunkHashes().forEach(hashes::add);
        byte[] piece = new byte[pieceSize];
        long done = 0;
        try (FileChannel file = FileChannel.open(store.artifact(build), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             InputStream in = blobs.open(release.artifactKey())) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (int index = 0; done < release.size(); index++) {
                int length = (int) Math.min(pieceSize, release.size() - done);
                int read = in.readNBytes(piece, 0, length);
                if (read < length) {
                    throw new DownloadFailedException(release.artifactKey() + " in blob store '" + blobs.name() + "' ended after "
                            + (done + read) + " of " + release.size() + " bytes", null);
                }
                sha256.update(piece, 0, length);
                sha1.update(piece, 0, length);
                if (!Arrays.equals(sha1.digest(), hashes.get(index))) {
                    throw new DownloadFailedException("piece " + index + " of " + release.artifactKey() + " in blob store '" + blobs.name()
                            + "' does not match the torrent", null);
                }
                ByteBuffer bytes = ByteBuffer.wrap(piece, 0, length);
                long at = done;
                while (bytes.hasRemaining()) {
                    at += file.write(bytes, at);
                }
                swarm.pieceWritten(index);
                done += length;
                if (!wanted.getAsBoolean()) {
                    // closing an S3 stream reads it to its end: abort it instead
                    if (in instanceof Abortable abortable) {
                        abortable.abort();
                    }
                    return false;
                }
            }
            if (in.read() >= 0) {
                // the signed release says how large it is: the rest is not read (closing would read it to its end)
                if (in instanceof Abortable abortable) {
                    abortable.abort();
                }
                throw new CorruptDownloadException(release.artifactKey() + " in blob store '" + blobs.name() + "' holds more than the "
                        + release.size() + " bytes the signed release says: not read further");
            }
            file.force(false);
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (!actual.equals(release.sha256())) {
                throw new CorruptDownloadException("the regional object " + release.artifactKey() + " has sha256 " + actual
                        + " but the signed release says " + release.sha256());
            }
            store.markVerified(build, actual);
            return true;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK lacks SHA-1 or SHA-256", e);
        } catch (IOException | BlobStoreException | BlobNotFoundException e) {
            throw new DownloadFailedException("cannot fetch " + release.artifactKey() + " from blob store '" + blobs.name() + "' after "
                    + done + " bytes: " + e.getMessage(), e);
        }
    }
}
