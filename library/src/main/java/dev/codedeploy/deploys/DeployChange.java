package dev.codedeploy.deploys;

import dev.codedeploy.client.DeployState;

/**
 * What one fenced write of a conductor changes on its deploy: a new state (stamping that state's time) and the
 * columns that go with it. Unset fields stay as they are. MyBatis reads the fields directly.
 */
final class DeployChange {

    /** The new state, or null to stay. */
    DeployState to;
    /** The column stamped with NOW(6) for {@link #to}, derived. */
    String stampColumn;
    /** True when {@link #to} is final: the lease is let go. */
    boolean ends;
    Long jobId;
    Boolean ownJob;
    Long releaseVersion;
    Long auditCursor;
    Long supersededBy;
    Boolean timedOut;
    String error;
    String message;
    String regions;

    static DeployChange to(DeployState state) {
        DeployChange c = new DeployChange();
        c.to = state;
        c.ends = state.isFinal();
        c.stampColumn = switch (state) {
            case REQUESTED -> "created_at";
            case BUILDING -> "building_at";
            case REPLICATING -> "replicating_at";
            case PUBLISHING -> "publishing_at";
            case ROLLING_OUT -> "rolling_out_at";
            case SUCCEEDED, FAILED, CANCELLED, SUPERSEDED -> "finished_at";
        };
        return c;
    }

    static DeployChange stay() {
        return new DeployChange();
    }

    DeployChange job(long id, boolean own) {
        this.jobId = id;
        this.ownJob = own;
        return this;
    }

    DeployChange releaseVersion(long version) {
        this.releaseVersion = version;
        return this;
    }

    DeployChange auditCursor(long cursor) {
        this.auditCursor = cursor;
        return this;
    }

    DeployChange supersededBy(long id) {
        this.supersededBy = id;
        return this;
    }

    DeployChange timedOut() {
        this.timedOut = true;
        return this;
    }

    DeployChange error(String why) {
        this.error = why;
        return this;
    }

    DeployChange message(String line) {
        this.message = line;
        return this;
    }

    DeployChange regions(String json) {
        this.regions = json;
        return this;
    }
}
