package dev.codedeploy.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codedeploy.client.ApiException;
import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.Host;
import dev.codedeploy.client.HostPage;
import dev.codedeploy.client.Wave;
import dev.codedeploy.deploys.DeploysWorld;
import dev.codedeploy.json.Json;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The waves and hosts endpoints over a real control plane and simulated hosts, and their refusals. */
class HostRoutesTest {

    private static final String READ = ApiTokens.generate();
    private static final String DEPLOY = ApiTokens.generate();

    private static DeploysWorld world;
    private static ApiServer api;
    private static URI base;
    private static CodeDeployClient client;

    @BeforeAll
    static void start() {
        world = new DeploysWorld();
        world.conductor("hosts-test");
        api = new ApiServer(new ApiConfig(true, "127.0.0.1", 0, 4096L, Duration.ofSeconds(1), null,
                List.of(new ApiToken("viewer", "read", ApiTokens.hash(READ)), new ApiToken("ci", "deploy", ApiTokens.hash(DEPLOY)))),
                world.deploys, new JobQueue(world.database, QueueConfig.DEFAULTS), world.gate, world.blobs, world.plane, Duration.ofMillis(100));
        api.start();
        base = URI.create("http://127.0.0.1:" + api.port());
        client = CodeDeployClient.create(base, READ);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        world.close();
    }

    @Test
    void aRolledOutEnvironmentShowsItsHostsPerWaveAndPageByPage() throws Exception {
        String env = world.newEnvironment();
        world.hosts(env, 5);
        String sha = DeploysWorld.newSha();
        world.deployableBuild(sha);
        long id = CodeDeployClient.create(base, DEPLOY).createDeploy(CreateDeploy.of(sha).withEnvironment(env)).id();
        world.awaitState(id, DeployState.SUCCEEDED, Duration.ofSeconds(60));

        List<Wave> waves = client.waves(env);
        assertThat(waves).singleElement().satisfies(w -> {
            assertThat(w.open()).isTrue();
            assertThat(w.hosts()).isEqualTo(5);
            assertThat(w.states()).containsEntry("HEALTHY", 5);
            assertThat(w.regions()).singleElement().satisfies(r -> assertThat(r.region()).isEqualTo(DeploysWorld.REGION));
        });
        List<String> seen = new ArrayList<>();
        HostPage first = client.hosts(env, DeploysWorld.REGION, null, 0, 0, 2);
        first.items().forEach(h -> seen.add(h.host()));
        HostPage rest = client.hosts(env, null, "HEALTHY", 1, 2, 500);
        rest.items().forEach(h -> seen.add(h.host()));
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.items()).hasSize(2).allMatch(Host::onRelease);
        assertThat(rest.offset()).isEqualTo(2);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates().isSortedAccordingTo(String::compareTo);
        assertThat(client.hosts(env, null, "FAILED", 0, 0, 10).total()).isZero();
    }

    @Test
    void badQueriesAreRefusedNamingTheField() throws Exception {
        String env = world.newEnvironment();
        assertThat(client.waves(env)).isEmpty();

        expect("/api/v1/environments/" + env + "/hosts?region=mars", 400, "region");
        expect("/api/v1/environments/" + env + "/hosts?state=SLEEPING", 400, "state");
        expect("/api/v1/environments/" + env + "/hosts?wave=1", 400, "wave");
        expect("/api/v1/environments/" + env + "/hosts?limit=501", 400, "limit");
        expect("/api/v1/environments/" + env + "/hosts?offset=-1", 400, "offset");
        expect("/api/v1/environments/nowhere/waves", 404, null);
        assertThat(client.hosts(env, null, "other_build", 0, 0, 10).total()).isZero();
        assertThatThrownBy(() -> CodeDeployClient.create(base, "cdt_unknown").waves(env)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(401));
    }

    private static void expect(String path, int status, String field) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + READ).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        JsonNode error = Json.MAPPER.readTree(response.body());
        if (field != null) {
            assertThat(error.path("field").asText()).as(response.body()).isEqualTo(field);
        }
        assertThat(error.path("message").asText()).isNotBlank();
    }
}
