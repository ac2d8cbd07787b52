package dev.codedeploy.sandbox.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollout's scenarios, run as the sandbox runs them, with their RESULT lines checked. */
class RolloutScenariosTest {

    @TempDir
    Path dir;

    @Test
    void expiredSessionsOfRegionSyncAndHostsAllComeBackWithNoStaleNode() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new ZkSessionExpiryScenario(), dir, Map.of());
        assertThat(result).containsOnlyKeys("scenario", "ok", "recovered", "stale_nodes")
                .containsEntry("ok", "true").containsEntry("stale_nodes", "0");
        String[] recovered = result.get("recovered").split("/");
        assertThat(recovered[0]).isEqualTo(recovered[1]);
        assertThat(Integer.parseInt(recovered[0])).isGreaterThan(4);
    }

    @Test
    void aHostsCredentialsCannotWriteTheRelease() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new UnauthorizedWriteScenario(), dir, Map.of());
        assertThat(result).containsOnlyKeys("scenario", "ok", "denied").containsEntry("ok", "true").containsEntry("denied", "true");
    }

    @Test
    void aHostsCredentialsCannotForgeAnotherHostsStatusOrAFakeHost() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new ForgedHostStatusScenario(), dir, Map.of());
        assertThat(result).containsOnlyKeys("scenario", "ok", "accepted").containsEntry("ok", "true").containsEntry("accepted", "0");
    }

    @Test
    void noHostActsOnAWronglySignedRelease() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new BadReleaseScenario(), dir, Map.of("hostsPerRegion", "3"));
        assertThat(result).containsOnlyKeys("scenario", "ok", "hosts_acted").containsEntry("ok", "true").containsEntry("hosts_acted", "0");
    }

    @Test
    void forgedReleasesAreActedOnByNoHostAndAnAlteredManifestIsNeverPublished() throws Exception {
        Map<String, String> result = ScenarioRunner.run(new ForgedReleaseScenario(), dir, Map.of("hostsPerRegion", "2"));
        assertThat(result).containsEntry("scenario", "forged-release").containsEntry("ok", "true").containsEntry("hosts_acted", "0")
                .containsEntry("published_altered", "0");
    }
}
