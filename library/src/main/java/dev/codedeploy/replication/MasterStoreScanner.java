package dev.codedeploy.replication;

import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.blob.BuildKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Notices new binaries in the master store, as the original design's replicator does: it lists the manifests under
 * {@code builds/} (a manifest is written last, so its build is whole) and returns the builds it has not seen before.
 * The database is the main source of work; the scan catches builds whose rows are missing beyond the planner's
 * look-back.
 */
final class MasterStoreScanner {

    /** {@code builds/<sha>/<job>/<attempt>/manifest.json}. */
    private static final Pattern MANIFEST = Pattern.compile(Pattern.quote(BuildKeys.ROOT) + "[0-9a-f]{40}/(\\d{1,18})/\\d{1,9}/manifest\\.json");
    private static final int REMEMBERED = 100_000;

    private final BlobStore master;
    private final Set<Long> seen = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    MasterStoreScanner(BlobStore master) {
        this.master = master;
    }

    /** Job ids of manifests not seen by an earlier scan. */
    synchronized List<Long> newBuilds() {
        List<Long> found = new ArrayList<>();
        for (BlobInfo object : master.list(BuildKeys.ROOT)) {
            Matcher m = MANIFEST.matcher(object.key());
            if (m.matches()) {
                long jobId = Long.parseLong(m.group(1));
                if (seen.add(jobId)) {
                    found.add(jobId);
                }
            }
        }
        return found;
    }
}
