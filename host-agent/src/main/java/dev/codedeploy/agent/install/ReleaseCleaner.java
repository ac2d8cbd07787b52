package dev.codedeploy.agent.install;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what the host no longer needs: release folders beyond the newest {@code keepReleases} (never
 * {@code current}, {@code previous} or the build being deployed), and downloads that are neither seeded nor being
 * deployed. Build ids grow with time, so the newest releases are the highest ids.
 */
public final class ReleaseCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseCleaner.class);

    private final ReleaseStore store;

    /** A cleaner of {@code store}. */
    public ReleaseCleaner(ReleaseStore store) {
        this.store = store;
    }

    /**
     * Cleans up.
     *
     * @param keepReleases   release folders kept besides current, previous and {@code target}
     * @param keepDownloads  builds whose downloads stay (seeded, or being deployed)
     * @param target         the build being deployed, or null
     * @return the builds whose release or download was deleted
     */
    public Set<Long> clean(int keepReleases, Set<Long> keepDownloads, Long target) {
        Set<Long> protectedBuilds = new HashSet<>();
        store.current().ifPresent(protectedBuilds::add);
        store.previous().ifPresent(protectedBuilds::add);
        if (target != null) {
            protectedBuilds.add(target);
        }
        Set<Long> deleted = new HashSet<>();
        List<Long> others = new ArrayList<>(store.installed());
        others.removeAll(protectedBuilds);
        // ascending: the oldest come first, the newest keepReleases stay
        for (int i = 0; i < others.size() - keepReleases; i++) {
            store.deleteRelease(others.get(i));
            deleted.add(others.get(i));
        }
        for (Long build : store.downloads()) {
            if (!keepDownloads.contains(build) && (target == null || build.longValue() != target)) {
                store.deleteDownload(build);
                deleted.add(build);
            }
        }
        if (!deleted.isEmpty()) {
            LOG.info("cleaned up builds {} (kept {} release(s) besides current, previous and target; downloads of {})",
                    deleted, keepReleases, keepDownloads);
        }
        return deleted;
    }
}
