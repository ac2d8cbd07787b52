package dev.codedeploy.rollout;

import dev.codedeploy.release.HostState;
import java.util.Map;

/**
 * One region's view of an environment.
 *
 * @param region         the region
 * @param connected      its ZooKeeper answers
 * @param releaseVersion the version of the release record the region holds (0: none or invalid)
 * @param hosts          hosts reporting
 * @param builds         per build (the one a host works on, or runs when idle; 0 for none): how many hosts are in each state
 */
public record RegionStatus(String region, boolean connected, long releaseVersion, int hosts, Map<Long, Map<HostState, Integer>> builds) {
}
