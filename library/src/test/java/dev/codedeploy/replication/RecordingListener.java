package dev.codedeploy.replication;

import dev.codedeploy.replication.copy.CopyMethod;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers what a replicator did, as "event region key detail" lines. */
class RecordingListener implements ReplicationListener {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void partCopied(ReplicaKey replica, String key, int partNumber, long bytes) {
        events.add("part " + replica.region() + " " + key + " " + partNumber);
    }

    @Override
    public void objectCopied(ReplicaKey replica, String key, CopyMethod method, long bytes) {
        events.add("copied " + replica.region() + " " + key + " " + method);
    }

    @Override
    public void objectSkipped(ReplicaKey replica, String key) {
        events.add("skipped " + replica.region() + " " + key);
    }

    @Override
    public void mismatchDetected(ReplicaKey replica, String key, String detail) {
        events.add("mismatch " + replica.region() + " " + key);
    }

    @Override
    public void replicaCompleted(ReplicaKey replica) {
        events.add("completed " + replica.region() + " " + replica.jobId());
    }

    /** The events that start with {@code prefix}. */
    List<String> startingWith(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }
}
