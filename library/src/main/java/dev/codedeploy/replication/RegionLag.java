package dev.codedeploy.replication;

/**
 * How far a region is behind the master store.
 *
 * @param region    the region
 * @param lagMicros microseconds since the oldest build it does not hold yet completed; 0 when it holds every build
 * @param waiting   builds it does not hold yet (PENDING, RUNNING or FAILED)
 */
public record RegionLag(String region, long lagMicros, long waiting) {

    /** The lag in seconds. */
    public double lagSeconds() {
        return lagMicros / 1e6;
    }
}
