package dev.codedeploy.agent.download;

import dev.codedeploy.agent.install.ReleaseStore;
import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.blob.BlobNotFoundException;
import dev.codedeploy.blob.BlobStoreException;
import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import software.amazon.awssdk.http.Abortable;

/**
 * Fetches the artifact straight from the regional blob store, into {@code artifact.partial} renamed when complete,
 * hashing it on the way so that a matching file is recorded as verified without a second read.
 * The regional seeder fetches this way; hosts do with {@code distribution: blob}.
 */
public final class BlobDownload implements ArtifactFetcher {

    private static final int BUFFER = 1 << 20;

    private final BlobStore blobs;
    private final ReleaseStore store;

    /** Fetches from {@code blobs} into {@code store}. */
    public BlobDownload(BlobStore blobs, ReleaseStore store) {
        this.blobs = blobs;
        this.store = store;
    }

    @Override
    public boolean fetch(Release release, Consumer<HostStatus.Progress> progress, BooleanSupplier wanted) {
        long build = release.buildId();
        Path partial = store.downloadDir(build).resolve("artifact.partial");
        long done = 0;
        try {
            Files.createDirectories(partial.getParent());
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = blobs.open(release.artifactKey()); OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (done + n > release.size()) {
                        // the signed release says how large it is: an object that holds more is not the build
                        abort(in);
                        Files.deleteIfExists(partial);
                        throw new CorruptDownloadException(release.artifactKey() + " in blob store '" + blobs.name() + "' holds more than the "
                                + release.size() + " bytes the signed release says: not read further, discarded");
                    }
                    out.write(buffer, 0, n);
                    sha256.update(buffer, 0, n);
                    done += n;
                    progress.accept(new HostStatus.Progress(done, release.size(), 0, 0, 1));
                    if (!wanted.getAsBoolean()) {
                        abort(in);
                        Files.deleteIfExists(partial);
                        return false;
                    }
                }
            }
            Files.move(partial, store.artifact(build), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // hashed on the way in: a matching file need not be read again (a different one is left to the verifier)
            if (done == release.size() && HexFormat.of().formatHex(sha256.digest()).equals(release.sha256())) {
                store.markVerified(build, release.sha256());
            }
            return true;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        } catch (IOException | BlobStoreException | BlobNotFoundException e) {
            throw new DownloadFailedException("cannot fetch " + release.artifactKey() + " from blob store '" + blobs.name() + "' after "
                    + done + " bytes: " + e.getMessage(), e);
        }
    }

    /** Closing an S3 stream early reads it to its end: abort it instead. */
    private static void abort(InputStream in) {
        if (in instanceof Abortable abortable) {
            abortable.abort();
        }
    }

    @Override
    public void discard(long build) {
        // nothing runs between fetches
    }
}
