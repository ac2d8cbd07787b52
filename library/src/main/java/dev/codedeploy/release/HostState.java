package dev.codedeploy.release;

/** Where a host is with the release it was told to run. */
public enum HostState {
    /** Running its current build; nothing to do. */
    IDLE,
    /** Fetching the new build from its peers. */
    DOWNLOADING,
    /** Downloaded, sha256 and signature checked, unpacked; waiting for its wave. */
    VERIFIED,
    /** Running hooks and switching {@code current}. */
    SWITCHING,
    /** Switched and passing its health check. */
    HEALTHY,
    /** Download, verification, install or health check failed (see the error). */
    FAILED,
    /** Its health check failed after the switch and it went back to the previous release. */
    ROLLED_BACK
}
