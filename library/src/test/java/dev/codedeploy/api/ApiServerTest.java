package dev.codedeploy.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codedeploy.client.ApiException;
import dev.codedeploy.client.AuditEntry;
import dev.codedeploy.client.Build;
import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.CreateDeploy;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.DeployEvent;
import dev.codedeploy.client.DeployState;
import dev.codedeploy.client.Identity;
import dev.codedeploy.client.Rollout;
import dev.codedeploy.client.Scope;
import dev.codedeploy.deploys.DeploysWorld;
import dev.codedeploy.json.Json;
import dev.codedeploy.queue.Job;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.queue.StoredArtifact;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API over a real database, ZooKeeper, conductor and simulated hosts, called as clients call it. */
class ApiServerTest {

    private static final String READ = ApiTokens.generate();
    private static final String DEPLOY = ApiTokens.generate();
    private static final String ADMIN = ApiTokens.generate();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static DeploysWorld world;
    private static ApiServer api;
    private static URI base;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        world = new DeploysWorld();
        world.conductor("api-test");
        ApiConfig config = ApiConfig.DEFAULTS.with(0, List.of(new ApiToken("reader", "read", ApiTokens.hash(READ)),
                new ApiToken("deployer", "deploy", ApiTokens.hash(DEPLOY)), new ApiToken("admin", "admin", ApiTokens.hash(ADMIN))));
        api = new ApiServer(new ApiConfig(true, "127.0.0.1", 0, 4096L, Duration.ofSeconds(1), null, config.tokens()), world.deploys,
                new JobQueue(world.database, QueueConfig.DEFAULTS), world.gate, world.blobs, world.plane, Duration.ofMillis(100));
        api.start();
        base = URI.create("http://127.0.0.1:" + api.port());
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        world.close();
    }

    private static CodeDeployClient client(String token) {
        return CodeDeployClient.create(base, token);
    }

    @Test
    void aClientHoldingOnlyAUrlAndATokenDeploysAndFollowsItToTheEnd() throws Exception {
        String env = world.newEnvironment();
        world.hosts(env, 2);
        String sha = DeploysWorld.newSha();
        long build = world.deployableBuild(sha);
        CodeDeployClient client = client(DEPLOY);

        Deploy requested = client.createDeploy(CreateDeploy.of(sha).withEnvironment(env).withReason("ship it"));
        List<DeployEvent> seen = new CopyOnWriteArrayList<>();
        Deploy done = client.follow(requested.id(), 0, seen::add, PATIENCE);

        assertThat(requested.state()).isEqualTo(DeployState.REQUESTED);
        assertThat(requested.requestedBy()).isEqualTo("deployer");
        assertThat(done.state()).isEqualTo(DeployState.SUCCEEDED);
        assertThat(done.jobId()).isEqualTo(build);
        assertThat(done.regions()).singleElement().satisfies(r -> assertThat(r.healthy()).isEqualTo(2));
        assertThat(seen).extracting(DeployEvent::state).containsSubsequence(DeployState.REQUESTED, DeployState.REPLICATING,
                DeployState.PUBLISHING, DeployState.ROLLING_OUT, DeployState.SUCCEEDED);
        assertThat(seen).extracting(DeployEvent::id).isSorted().doesNotHaveDuplicates();
        assertThat(seen).extracting(DeployEvent::id).containsExactlyElementsOf(client.events(requested.id(), 0).stream().map(DeployEvent::id).toList());

        // a follower that reconnects after the third event gets the rest, once
        List<DeployEvent> resumed = new ArrayList<>();
        client(READ).follow(requested.id(), seen.get(2).id(), resumed::add, PATIENCE);
        assertThat(resumed).containsExactlyElementsOf(seen.subList(3, seen.size()));
        // one that had seen the end: the stream ends at once
        List<DeployEvent> none = new ArrayList<>();
        assertThat(client(READ).follow(requested.id(), done.lastEventId(), none::add, PATIENCE).state()).isEqualTo(DeployState.SUCCEEDED);
        assertThat(none).isEmpty();

        assertThat(client(READ).deploys(env, false, 10)).extracting(Deploy::id).containsExactly(requested.id());
        assertThat(client(READ).deploys(env, true, 10)).isEmpty();
        Build viewed = client(READ).build(build);
        assertThat(viewed.deployable()).isTrue();
        assertThat(viewed.replicas()).extracting(r -> r.region()).containsExactly(DeploysWorld.REGION);
        assertThat(client(READ).job(build).status()).isEqualTo("COMPLETED");
        Rollout rollout = client(READ).rollout(env);
        assertThat(rollout.release().deployId()).isEqualTo(requested.id());
        assertThat(rollout.regions()).singleElement().satisfies(r -> assertThat(r.hosts()).isEqualTo(2));
        assertThat(client(READ).environments()).extracting(Rollout::environment).contains(env);
    }

    @Test
    void aJobRequeuedAndThenCompletedShowsItsRequeueInTheJobsApi() throws Exception {
        JobQueue queue = new JobQueue(world.database, QueueConfig.DEFAULTS);
        Job job = queue.enqueue("https://git.example.com/shop/app.git", DeploysWorld.newSha(), "api-test");
        assertThat(queue.claim("dying-worker").orElseThrow().id()).isEqualTo(job.id());
        try (Connection c = world.database.connection();
             PreparedStatement s = c.prepareStatement("UPDATE jobs SET last_heartbeat = NOW(6) - INTERVAL 10 MINUTE WHERE id = ?")) {
            s.setLong(1, job.id());
            s.executeUpdate();
            c.commit();
        }
        assertThat(queue.requeueStale(60_000_000L).requeued()).contains(job.id());
        Job again = queue.claim("second-worker").orElseThrow();
        queue.complete(again.lease(), new StoredArtifact("k", 1, "0".repeat(64), "t", "m", "l"));

        JsonNode shown = Json.MAPPER.readTree(send("GET", "/api/v1/jobs/" + job.id(), READ, null, null).body());

        assertThat(shown.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(shown.hasNonNull("error")).as("completing clears error").isFalse();
        assertThat(shown.path("requeues").asInt()).isEqualTo(1);
        assertThat(shown.path("lastRequeueReason").asText()).contains("worker dying-worker stopped heartbeating");
        assertThat(client(READ).job(job.id()).requeues()).isEqualTo(1);
    }

    @Test
    void everyBadRequestIsRefusedWithItsStatusAndAJsonErrorAndNothingIsCreated() throws Exception {
        String env = world.newEnvironment();
        String sha = DeploysWorld.newSha();
        int before = world.deploys.recent(null, false, null, 500).size();
        String good = "{\"sha\":\"" + sha + "\",\"environment\":\"" + env + "\"}";

        expect(send("POST", "/api/v1/deploys", null, "application/json", good), 401, "missing_token", "Authorization");
        expect(send("POST", "/api/v1/deploys", "cdt_nope", "application/json", good), 401, "invalid_token", "Authorization");
        expect(send("POST", "/api/v1/deploys", READ, "application/json", good), 403, "insufficient_scope", null);
        expect(send("POST", "/api/v1/deploys", DEPLOY, "application/json", "{\"sha\":\"main\"}"), 400, "invalid_field", "sha");
        expect(send("POST", "/api/v1/deploys", DEPLOY, "application/json", "{\"sha\":\"" + sha + "\",\"environment\":\"nowhere\"}"),
                400, "invalid_field", "environment");
        expect(send("POST", "/api/v1/deploys", DEPLOY, "application/json", "{\"sha\":\"" + sha + "\",\"reason\":\"" + "x".repeat(5000)
                + "\"}"), 413, "body_too_large", "body");
        expect(send("POST", "/api/v1/deploys", DEPLOY, "text/plain", good), 415, "unsupported_media_type", "Content-Type");
        expect(send("POST", "/api/v1/deploys", DEPLOY, "application/json", "{\"sha\":"), 400, "malformed_json", "body");
        expect(send("POST", "/api/v1/deploys", DEPLOY, "application/json", "{\"sha\":\"" + sha + "\",\"branch\":\"main\"}"),
                400, "unknown_field", "branch");
        expect(send("POST", "/api/v1/deploys", DEPLOY, "application/json", ""), 400, "missing_body", "body");
        expect(send("POST", "/api/v1/deploys", DEPLOY, "application/json", "{\"sha\":\"" + sha + "\",\"timeoutSeconds\":\"soon\"}"),
                400, "invalid_field", "timeoutSeconds");
        expect(send("GET", "/api/v1/deploys/999999", READ, null, null), 404, "not_found", null);
        expect(send("GET", "/api/v1/deploys/abc", READ, null, null), 400, "invalid_field", "id");
        expect(send("GET", "/api/v1/nothing", READ, null, null), 404, "not_found", null);
        expect(send("DELETE", "/api/v1/deploys", DEPLOY, null, null), 405, "method_not_allowed", null);
        expect(send("POST", "/api/v1/environments/" + env + "/lock", DEPLOY, "application/json", "{\"reason\":\"x\"}"),
                403, "insufficient_scope", null);
        expect(send("GET", "/api/v1/environments/nowhere", READ, null, null), 404, "not_found", null);
        expect(send("GET", "/api/v1/jobs?limit=0", READ, null, null), 400, "invalid_field", "limit");

        assertThat(world.deploys.recent(null, false, null, 500)).hasSize(before);
        assertThat(send("GET", "/api/v1/health", null, null, null).statusCode()).isEqualTo(200);
        assertThat(client(READ).whoami()).isEqualTo(new Identity("reader", Scope.READ));
        assertThatThrownBy(() -> client(READ).cancel(1, null)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).error().code()).isEqualTo("insufficient_scope"));
    }

    @Test
    void actionsOnAnEnvironmentAreAuditedUnderTheTokensName() {
        String env = world.newEnvironment();
        Rollout locked = client(ADMIN).lock(env, "quarter end", null);
        assertThat(locked.lock().actor()).isEqualTo("admin");
        assertThatThrownBy(() -> client(DEPLOY).createDeploy(CreateDeploy.of(DeploysWorld.newSha()).withEnvironment(env)))
                .isInstanceOf(ApiException.class).satisfies(e -> {
                    assertThat(((ApiException) e).status()).isEqualTo(409);
                    assertThat(((ApiException) e).error().code()).isEqualTo("environment_locked");
                });
        assertThat(client(ADMIN).unlock(env, null).lock()).isNull();
        assertThat(client(READ).history(env, 10)).extracting(AuditEntry::action, AuditEntry::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("UNLOCK", "admin"), org.assertj.core.groups.Tuple.tuple("LOCK", "admin"));
    }

    private static HttpResponse<String> send(String method, String path, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> response, int status, String code, String field) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = Json.MAPPER.readTree(response.body());
        assertThat(error.path("status").asInt()).isEqualTo(status);
        assertThat(error.path("code").asText()).as(response.body()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        if (field == null) {
            assertThat(error.has("field")).as(response.body()).isFalse();
        } else {
            assertThat(error.path("field").asText()).as(response.body()).isEqualTo(field);
        }
    }
}
