package dev.codedeploy.client;

import java.util.List;
import java.util.Map;

/**
 * The hosts of one wave of an environment's release, by state: {@code GET /api/v1/environments/{env}/waves}. A host
 * belongs to the wave whose percentage range holds its stable percentile; a host that still reports another build
 * than the release's is counted as {@code OTHER_BUILD}.
 *
 * @param wave        1 for the first
 * @param fromPercent the first percentile of the wave
 * @param toPercent   the percentile after its last (the wave plan's value)
 * @param open        its hosts may switch now
 * @param hosts       hosts in the wave, all regions
 * @param states      state to host count, all regions
 * @param regions     the same per region, in the server's region order
 */
public record Wave(int wave, int fromPercent, int toPercent, boolean open, int hosts, Map<String, Integer> states,
                   List<RegionStates> regions) {

    /** The state of a host that reports another build than the release's. */
    public static final String OTHER_BUILD = "OTHER_BUILD";

    public Wave {
        states = states == null ? Map.of() : Map.copyOf(states);
        regions = regions == null ? List.of() : List.copyOf(regions);
    }

    /**
     * One region's hosts of a wave.
     *
     * @param region the region
     * @param hosts  its hosts in the wave
     * @param states state to host count
     */
    public record RegionStates(String region, int hosts, Map<String, Integer> states) {

        public RegionStates {
            states = states == null ? Map.of() : Map.copyOf(states);
        }
    }
}
