package dev.codedeploy.client;

/** What a token may do; each scope includes the ones before it. */
public enum Scope {
    /** Read deploys, jobs, builds and rollouts, and follow events. */
    READ,
    /** Also request and cancel deploys, cancel jobs, pause, resume and roll back. */
    DEPLOY,
    /** Also lock and unlock environments. */
    ADMIN;

    /** True when this scope includes {@code needed}. */
    public boolean allows(Scope needed) {
        return compareTo(needed) >= 0;
    }
}
