package dev.codedeploy.rollout;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.release.ZkLayout;
import java.time.Instant;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Deploy locks and freeze windows in the master's {@code /codedeploy/<env>/lock}: one node per environment, so a
 * lock and a freeze cannot both be taken. Freeze windows end on the database clock. Each change is audited.
 */
public final class DeployLocks {

    private final CuratorFramework master;
    private final DeploymentLog log;

    DeployLocks(CuratorFramework master, DeploymentLog log) {
        this.master = master;
        this.log = log;
    }

    /** The lock or freeze that holds {@code environment} now, if any. */
    public Optional<DeployLock> current(String environment) {
        return heldAt(environment, log.now());
    }

    /** The lock or freeze that holds at {@code now} (database clock); an unreadable node counts as a lock. */
    Optional<DeployLock> heldAt(String environment, Instant now) {
        return read(environment).map(Node::lock).filter(l -> l.heldAt(now));
    }

    /**
     * Takes the deploy lock: publishing is refused until {@link #unlock}.
     *
     * @throws DeployLockedException when a lock or freeze already holds
     */
    public DeployLock lock(String environment, String actor, String reason) {
        return take(environment, DeployLock.Kind.LOCK, actor, reason, null);
    }

    /**
     * Sets a freeze window until {@code until} (database clock).
     *
     * @throws InvalidInputException when {@code until} is not in the future
     * @throws DeployLockedException when a lock or freeze already holds
     */
    public DeployLock freeze(String environment, String actor, String reason, Instant until) {
        if (until == null) {
            throw new InvalidInputException("a freeze needs an end time: give until");
        }
        return take(environment, DeployLock.Kind.FREEZE, actor, reason, until);
    }

    /**
     * Releases the lock or freeze.
     *
     * @return false when there was none
     */
    public boolean unlock(String environment, String actor) {
        ZkLayout.checkEnvironment(environment);
        String who = Actors.check(actor);
        return log.recordAround(environment, null, who, now -> {
            Optional<Node> node = read(environment);
            if (node.isEmpty()) {
                return new DeploymentLog.RecordedWork.Outcome<>(false, DeploymentAction.UNLOCK, null, "nothing to unlock");
            }
            try {
                master.delete().withVersion(node.get().zkVersion()).forPath(ZkLayout.lock(environment));
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
                throw new RolloutException("the lock of " + environment + " changed while being released; look at it and try again");
            } catch (Exception e) {
                throw RolloutException.zooKeeper("master", "release the lock of " + environment, e);
            }
            return new DeploymentLog.RecordedWork.Outcome<>(true, DeploymentAction.UNLOCK, null, "released: " + node.get().lock().describe());
        }).value();
    }

    private DeployLock take(String environment, DeployLock.Kind kind, String actor, String reason, Instant until) {
        ZkLayout.checkEnvironment(environment);
        String who = Actors.check(actor);
        String why = Actors.reason(reason);
        if (why == null) {
            throw new InvalidInputException("a " + kind.name().toLowerCase() + " needs a reason, shown to whoever it stops");
        }
        DeploymentAction action = kind == DeployLock.Kind.LOCK ? DeploymentAction.LOCK : DeploymentAction.FREEZE;
        return log.recordAround(environment, null, who, now -> {
            if (until != null && !until.isAfter(now)) {
                throw new InvalidInputException("freeze end " + until + " is not after now (" + now + ", database clock)");
            }
            DeployLock lock = new DeployLock(kind, who, why, now, until);
            Optional<Node> existing = read(environment);
            if (existing.isPresent() && existing.get().lock().heldAt(now)) {
                throw new DeployLockedException(environment, existing.get().lock(), "unlock it first");
            }
            String path = ZkLayout.lock(environment);
            try {
                if (existing.isPresent()) {
                    // an ended freeze: replace it only if nobody else did meanwhile
                    master.setData().withVersion(existing.get().zkVersion()).forPath(path, lock.toBytes());
                } else {
                    master.create().creatingParentsIfNeeded().forPath(path, lock.toBytes());
                }
            } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException | KeeperException.NoNodeException e) {
                throw new RolloutException("someone else changed the lock of " + environment + " meanwhile; look at it and try again");
            } catch (Exception e) {
                throw RolloutException.zooKeeper("master", "write the lock of " + environment, e);
            }
            return new DeploymentLog.RecordedWork.Outcome<>(lock, action, null, lock.describe());
        }).value();
    }

    private record Node(DeployLock lock, int zkVersion) {
    }

    private Optional<Node> read(String environment) {
        String path = ZkLayout.lock(environment);
        Stat stat = new Stat();
        try {
            byte[] data = master.getData().storingStatIn(stat).forPath(path);
            DeployLock lock;
            try {
                lock = DeployLock.fromBytes(data, "master " + path);
            } catch (InvalidInputException e) {
                lock = new DeployLock(DeployLock.Kind.LOCK, "unknown", "the lock node is unreadable (" + e.getMessage() + "); unlock to clear it", null, null);
            }
            return Optional.of(new Node(lock, stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw RolloutException.zooKeeper("master", "read " + path, e);
        }
    }
}
