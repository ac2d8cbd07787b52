package dev.codedeploy.replication.retention;

import java.util.Set;

/** The builds that some region runs or is about to run: retention never removes them. */
public interface BuildsInUse {

    /**
     * Their ids.
     *
     * @throws RuntimeException when it cannot tell (a ZooKeeper ensemble is unreachable, a node is unreadable):
     *                          retention then removes nothing
     */
    Set<Long> buildIds();
}
