package dev.codedeploy.agent.download;

import dev.codedeploy.agent.install.ReleaseStore;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.release.Release;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a complete download against the signed release: its size, then the sha256 of the whole file. */
public final class ArtifactVerifier {

    private ArtifactVerifier() {
    }

    /**
     * Checks the artifact of {@code release} in {@code store}; records it as verified when it matches.
     *
     * @throws CorruptDownloadException when it does not match (the caller discards it)
     */
    public static void verify(ReleaseStore store, Release release) {
        long build = release.buildId();
        Path artifact = store.artifact(build);
        try {
            long size = Files.size(artifact);
            if (size != release.size()) {
                throw new CorruptDownloadException("the artifact of build " + build + " has " + size + " bytes but the signed release says "
                        + release.size() + ": discarded");
            }
            String sha256;
            try (InputStream in = Files.newInputStream(artifact)) {
                sha256 = FileDigest.sha256(in);
            }
            if (!sha256.equals(release.sha256())) {
                throw new CorruptDownloadException("the artifact of build " + build + " has sha256 " + sha256
                        + " but the signed release says " + release.sha256() + ": discarded, it will be fetched again");
            }
            store.markVerified(build, sha256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + artifact + ": " + e.getMessage(), e);
        }
    }
}
