package dev.codedeploy.agent.download;

import dev.codedeploy.release.HostStatus;
import dev.codedeploy.release.Release;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Brings a release's artifact to {@code downloads/<build>/artifact}; its sha256 is checked afterwards. */
public interface ArtifactFetcher {

    /**
     * Fetches the artifact, reporting progress, until it is complete or no longer {@code wanted}.
     *
     * @return true when complete, false when it stopped because it is no longer wanted
     * @throws DownloadFailedException when it cannot be fetched now
     */
    boolean fetch(Release release, Consumer<HostStatus.Progress> progress, BooleanSupplier wanted) throws InterruptedException;

    /** Stops fetching or seeding {@code build} (before its files are deleted). */
    void discard(long build);
}
