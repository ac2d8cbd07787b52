package dev.codedeploy.rollout;

import dev.codedeploy.release.Release;
import dev.codedeploy.release.SignedRelease;
import java.security.PrivateKey;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Signs and writes the master's release records. Every write takes the next version with a compare-and-set on the
 * node, so of two writers that read the same record only one succeeds.
 */
final class ReleaseWriter {

    private static final int UPDATE_ATTEMPTS = 5;

    private final ReleaseNodes master;
    private final PrivateKey key;
    private final String keyId;
    private final ToLongFunction<String> versionFloor;

    /**
     * @param key          the signing key, or null when this process may not publish
     * @param versionFloor the highest version known in any region for an environment: a master that lost its data
     *                     continues above it, or the regions would refuse its records as old
     */
    ReleaseWriter(ReleaseNodes master, PrivateKey key, String keyId, ToLongFunction<String> versionFloor) {
        this.master = master;
        this.key = key;
        this.keyId = keyId;
        this.versionFloor = versionFloor;
    }

    Optional<ReleaseNodes.Stored> read(String environment) {
        return master.read(environment);
    }

    /**
     * Writes {@code next} over {@code expected} (null: no node yet) with the next version.
     *
     * @throws ReleaseConflictException when the node changed since {@code expected} was read
     */
    Release write(String environment, ReleaseNodes.Stored expected, ReleaseBuilder next) {
        if (key == null) {
            throw new RolloutException("rollout.signingKey is not configured: this process cannot write release records");
        }
        long current = expected == null ? 0 : expected.version();
        Release release = next.version(Math.max(current, versionFloor.applyAsLong(environment)) + 1).build();
        master.compareAndSet(environment, expected, SignedRelease.sign(release, key, keyId).toBytes());
        return release;
    }

    /**
     * Applies {@code change} to the environment's current record and writes it, reading again and retrying when
     * another writer got there first.
     *
     * @param change the new record made from the current one; it throws to refuse the change
     * @throws RolloutException when there is no valid record to change
     */
    Release update(String environment, Function<Release, ReleaseBuilder> change) {
        ReleaseConflictException last = null;
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            ReleaseNodes.Stored stored = read(environment).orElseThrow(() ->
                    new RolloutException(environment + " has no release: publish a build first"));
            if (stored.release() == null) {
                throw new RolloutException("the release of " + environment + " in the master is invalid (" + stored.error()
                        + "): publish a build to replace it");
            }
            try {
                return write(environment, stored, change.apply(stored.release()));
            } catch (ReleaseConflictException e) {
                last = e;
            }
        }
        throw last;
    }
}
