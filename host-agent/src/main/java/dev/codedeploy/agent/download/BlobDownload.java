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
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Fetches the artifact straight from the regional blob store, into {@code artifact.partial} renamed when complete.
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
            try (InputStream in = blobs.open(release.artifactKey()); OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    done += n;
                    progress.accept(new HostStatus.Progress(done, release.size(), 0, 0, 1));
                    if (!wanted.getAsBoolean()) {
                        Files.deleteIfExists(partial);
                        return false;
                    }
                }
            }
            Files.move(partial, store.artifact(build), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | BlobStoreException | BlobNotFoundException e) {
            throw new DownloadFailedException("cannot fetch " + release.artifactKey() + " from blob store '" + blobs.name() + "' after "
                    + done + " bytes: " + e.getMessage(), e);
        }
    }

    @Override
    public void discard(long build) {
        // nothing runs between fetches
    }
}
