package dev.codedeploy.replication;

import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BlobNotFoundException;
import dev.codedeploy.blob.S3BlobStore;
import dev.codedeploy.replication.copy.ChecksumMismatchException;
import dev.codedeploy.replication.copy.CopyControl;
import dev.codedeploy.replication.copy.CopyMethod;
import dev.codedeploy.replication.copy.FanOutCopy;
import dev.codedeploy.replication.copy.ObjectCopier;
import dev.codedeploy.replication.copy.ReadBack;
import dev.codedeploy.replication.copy.SourceMissingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;

/**
 * Brings one build into one or more regions: the artifact, then its .torrent, then its manifest (last, as in the
 * master: a manifest in a store means the rest is there). An object counts only once its bytes in the region are
 * proven to have the build's sha256: on the way for a streamed artifact ({@code StreamedCopy}, {@link FanOutCopy}),
 * else by reading it back. An object already in the region is kept when it reads back right (a resumed copy does no
 * work twice) and deleted when it does not. Regions whose artifact is streamed in parts share one read of the master.
 */
final class ReplicaCopy {

    private final RegionStores stores;
    private final ExecutorService partThreads;
    private final ReplicationListener listener;
    private final ReplicationMetrics metrics;
    private final ReplicaVerifier verifier;

    ReplicaCopy(RegionStores stores, ExecutorService partThreads, ReplicationListener listener, ReplicationMetrics metrics) {
        this.stores = stores;
        this.partThreads = partThreads;
        this.listener = listener;
        this.metrics = metrics;
        this.verifier = new ReplicaVerifier(stores, listener, metrics);
    }

    /**
     * One region's copy of the build.
     *
     * @param work    what was claimed
     * @param control its lease and progress
     */
    record Member(ReplicaWork work, CopyControl control) {

        ReplicaKey key() {
            return new ReplicaKey(work.jobId(), work.region());
        }
    }

    /** Copies and verifies the build of {@code work} in its region, or throws why it could not. */
    void run(ReplicaWork work, CopyControl control) {
        Throwable failure = run(List.of(new Member(work, control))).get(new ReplicaKey(work.jobId(), work.region()));
        if (failure != null) {
            throw failure instanceof RuntimeException r ? r : new ReplicationException(failure.toString(), failure);
        }
    }

    /**
     * Copies and verifies one build (every member has the same job) in each member's region.
     *
     * @return for each member, why its copy failed, or null when its region holds the build, verified
     */
    Map<ReplicaKey, Throwable> run(List<Member> members) {
        Map<ReplicaKey, Throwable> outcome = new LinkedHashMap<>();
        ReplicaWork build = members.get(0).work();
        BlobInfo source;
        try {
            source = source(build);
        } catch (RuntimeException e) {
            members.forEach(m -> outcome.put(m.key(), e));
            return outcome;
        }
        List<Member> haveArtifact = new ArrayList<>();
        Map<Long, List<Member>> fanOuts = new TreeMap<>();
        for (Member m : members) {
            try {
                S3BlobStore region = stores.region(m.work().region());
                ObjectCopier copier = copier(m);
                if (verifier.alreadyThere(m.key(), region, build.artifactKey(), build.artifactSize(), build.artifactSha256(), m.control())) {
                    copier.abortOtherUploads(build.artifactKey(), "");
                    m.control().progress(build.artifactSize());
                    haveArtifact.add(m);
                } else if (copier.method() == CopyMethod.STREAMED && build.artifactSize() > region.config().multipartThreshold()) {
                    fanOuts.computeIfAbsent(copier.partSize(build.artifactSize()), p -> new ArrayList<>()).add(m);
                } else {
                    boolean proven = copier.copy(build.artifactKey(), build.artifactSize(), build.artifactSha256(), metadataOf(source),
                            m.work().uploadId(), m.control(), (part, bytes) -> listener.partCopied(m.key(), build.artifactKey(), part, bytes));
                    copied(m, proven, copier.method());
                    haveArtifact.add(m);
                }
            } catch (RuntimeException e) {
                outcome.put(m.key(), failed(m, e));
            }
        }
        fanOuts.forEach((partSize, group) -> fanOut(build, source, partSize, group, haveArtifact, outcome));
        for (Member m : haveArtifact) {
            try {
                for (String key : new String[] {build.torrentKey(), build.manifestKey()}) {
                    if (key != null) {
                        copySmall(m, key);
                    }
                }
                outcome.put(m.key(), null);
            } catch (RuntimeException e) {
                outcome.put(m.key(), e);
            }
        }
        return outcome;
    }

    private void fanOut(ReplicaWork build, BlobInfo source, long partSize, List<Member> group, List<Member> haveArtifact,
                        Map<ReplicaKey, Throwable> outcome) {
        List<FanOutCopy.Target> targets = new ArrayList<>();
        for (Member m : group) {
            targets.add(new FanOutCopy.Target(stores.region(m.work().region()), copier(m), m.work().uploadId(), m.control(),
                    (part, bytes) -> listener.partCopied(m.key(), build.artifactKey(), part, bytes)));
        }
        new FanOutCopy(stores.master(), partThreads).copy(build.artifactKey(), build.artifactSize(), build.artifactSha256(), partSize,
                metadataOf(source), targets);
        for (int i = 0; i < group.size(); i++) {
            Member m = group.get(i);
            FanOutCopy.Target t = targets.get(i);
            if (t.failure() != null) {
                Throwable f = t.failure();
                outcome.put(m.key(), f instanceof RuntimeException r ? failed(m, r) : f);
                continue;
            }
            try {
                copied(m, t.proven(), CopyMethod.STREAMED);
                haveArtifact.add(m);
            } catch (RuntimeException e) {
                outcome.put(m.key(), e);
            }
        }
    }

    /** After the artifact reached the region: reads it back unless the copy proved it, and tells the listener. */
    private void copied(Member m, boolean proven, CopyMethod method) {
        ReplicaWork w = m.work();
        metrics.bytes(w.region(), w.artifactSize());
        if (!proven) {
            verifier.verify(m.key(), stores.region(w.region()), w.artifactKey(), w.artifactSize(), w.artifactSha256(), m.control());
        }
        listener.objectCopied(m.key(), w.artifactKey(), method, w.artifactSize());
    }

    private RuntimeException failed(Member m, RuntimeException e) {
        if (e instanceof ChecksumMismatchException c && !c.handled()) {
            // the region received other bytes than were sent: nothing of them may stay
            verifier.mismatch(m.key(), stores.region(m.work().region()), m.work().artifactKey(), e.getMessage());
        }
        return e;
    }

    private ObjectCopier copier(Member m) {
        String region = m.work().region();
        return new ObjectCopier(stores.master(), stores.region(region), stores.sharesEndpointWithMaster(region), partThreads);
    }

    private BlobInfo source(ReplicaWork work) {
        if (work.artifactKey() == null || work.artifactSize() == null || work.artifactSha256() == null) {
            throw new SourceMissingException("build " + work.jobId() + " is COMPLETED but its job records no artifact key, size and sha256");
        }
        S3BlobStore master = stores.master();
        BlobInfo source = master.head(work.artifactKey()).orElseThrow(() -> new SourceMissingException(
                "source object " + work.artifactKey() + " of build " + work.jobId() + " is missing from the master blob store ("
                        + master.config() + "): it was deleted or never stored, so no region can get it"));
        if (source.size() != work.artifactSize()) {
            throw new SourceMissingException("source object " + work.artifactKey() + " of build " + work.jobId() + " has "
                    + source.size() + " bytes in the master blob store but its job recorded " + work.artifactSize());
        }
        return source;
    }

    private void copySmall(Member m, String key) {
        m.control().checkOwned();
        S3BlobStore master = stores.master();
        S3BlobStore region = stores.region(m.work().region());
        byte[] bytes;
        BlobInfo info;
        try {
            info = master.head(key).orElseThrow(() -> new BlobNotFoundException(master.name(), key));
            bytes = master.getBytes(key);
        } catch (BlobNotFoundException e) {
            throw new SourceMissingException("source object " + key + " of build " + m.work().jobId()
                    + " is missing from the master blob store (" + master.config() + ")");
        }
        String sha256 = ReadBack.sha256(bytes);
        if (verifier.alreadyThere(m.key(), region, key, bytes.length, sha256, m.control())) {
            return;
        }
        region.putBytes(key, bytes, contentType(key), metadataOf(info));
        verifier.verify(m.key(), region, key, bytes.length, sha256, m.control());
        listener.objectCopied(m.key(), key, CopyMethod.STREAMED, bytes.length);
    }

    /** Reads back every object of a COMPLETED replica; null when all match, else what was wrong (bad objects deleted). */
    String audit(ReplicaWork work) {
        return verifier.audit(work);
    }

    private static String contentType(String key) {
        if (key.endsWith(".json")) {
            return "application/json";
        }
        return key.endsWith(".torrent") ? "application/x-bittorrent" : "application/octet-stream";
    }

    /** The metadata of the master's copy, which a region keeps as is. */
    static Map<String, String> metadataOf(BlobInfo info) {
        return info.metadata() == null ? Map.of() : info.metadata();
    }
}
