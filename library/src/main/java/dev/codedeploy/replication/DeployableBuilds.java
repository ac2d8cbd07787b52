package dev.codedeploy.replication;

import dev.codedeploy.database.Database;
import java.util.Set;
import java.util.TreeSet;

/**
 * The builds that can still be deployed: the last N deployed to each environment (the current release and the
 * rollback targets) and the last N completed of each repository (the candidates for the next deploy). A region
 * added later is backfilled with exactly these, and retention never removes them.
 */
public final class DeployableBuilds {

    private final Database database;
    private final int perEnvironment;

    /** The builds within the last {@code perEnvironment} of each environment and repository. */
    public DeployableBuilds(Database database, int perEnvironment) {
        if (perEnvironment < 1) {
            throw new IllegalArgumentException("keepPerEnvironment must be at least 1, got " + perEnvironment);
        }
        this.database = database.addMapper(PlanMapper.class);
        this.perEnvironment = perEnvironment;
    }

    /** Their ids, sorted. */
    public Set<Long> ids() {
        return database.inTransaction(PlanMapper.class, m -> {
            Set<Long> ids = new TreeSet<>(m.lastDeployedPerEnvironment(perEnvironment));
            ids.addAll(m.lastCompletedPerRepository(perEnvironment));
            return ids;
        });
    }
}
