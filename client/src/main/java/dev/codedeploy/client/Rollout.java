package dev.codedeploy.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An environment's rollout: its release record, lock, and per region the hosts by build and state.
 *
 * @param environment    the environment
 * @param release        the master's release record, or null when there is none
 * @param lock           the lock or freeze that holds now, or null
 * @param regions        per region its view
 * @param progress       the hosts against the release over all regions, or null without a release
 * @param driver         what the rollout driver of this server last decided and why, or null
 * @param activeDeployId the deploy publishing or rolling out to the environment, or null
 */
public record Rollout(String environment, Release release, Lock lock, List<Region> regions, Progress progress, String driver,
                     Long activeDeployId) {

    public Rollout {
        regions = regions == null ? List.of() : List.copyOf(regions);
    }

    /**
     * The release record (its signature checked by the server).
     *
     * @param version         increases with every change
     * @param buildId         the build hosts should run
     * @param sha             its commit
     * @param waves           cumulative host percentages of the waves
     * @param openWave        index of the last open wave, -1 before the first
     * @param openPercent     the share of hosts that may switch now
     * @param paused          no further wave opens
     * @param rollback        this record rolls the environment back
     * @param previousBuildId the build it ran before, or null
     * @param publishedBy     who wrote this version
     * @param publishedAt     when
     * @param deployId        the deploy that published the build, or null
     */
    public record Release(long version, long buildId, String sha, List<Integer> waves, int openWave, int openPercent, boolean paused,
                          boolean rollback, Long previousBuildId, String publishedBy, Instant publishedAt, Long deployId) {
    }

    /**
     * A deploy lock (until unlocked) or freeze window (until its end).
     *
     * @param kind      LOCK or FREEZE
     * @param actor     who took it
     * @param reason    why
     * @param createdAt when
     * @param until     a freeze's end, or null
     */
    public record Lock(String kind, String actor, String reason, Instant createdAt, Instant until) {
    }

    /**
     * One region's view.
     *
     * @param region         the region
     * @param connected      its ZooKeeper answers
     * @param releaseVersion the release version it holds (0: none)
     * @param hosts          hosts reporting
     * @param builds         per build, how many hosts are in each state
     */
    public record Region(String region, boolean connected, long releaseVersion, int hosts, List<BuildHosts> builds) {

        public Region {
            builds = builds == null ? List.of() : List.copyOf(builds);
        }
    }

    /**
     * Hosts working on or running one build, by state.
     *
     * @param buildId the build (0: none)
     * @param states  host state (DOWNLOADING, VERIFIED, SWITCHING, HEALTHY, FAILED, ROLLED_BACK, IDLE...) to count
     */
    public record BuildHosts(long buildId, Map<String, Integer> states) {

        public BuildHosts {
            states = states == null ? Map.of() : Map.copyOf(states);
        }
    }

    /**
     * The hosts against the release, over all regions.
     *
     * @param hosts       hosts reporting or lately missing
     * @param activated   hosts whose wave is open
     * @param healthy     activated hosts running the release healthy
     * @param failed      activated hosts that failed on it
     * @param unavailable activated hosts not serving
     * @param downloaded  hosts holding the release verified
     * @param missing     hosts seen lately whose node is gone
     */
    public record Progress(int hosts, int activated, int healthy, int failed, int unavailable, int downloaded, int missing) {
    }
}
