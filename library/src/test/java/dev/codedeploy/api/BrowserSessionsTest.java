package dev.codedeploy.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codedeploy.client.AuditEntry;
import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.deploys.DeploysWorld;
import dev.codedeploy.json.Json;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Browser sessions over a real database and API: the cookie a login sets acts as its token on every endpoint, a
 * change needs the session's CSRF token, and logout, expiry or the token's removal ends it on every server.
 */
class BrowserSessionsTest {

    private static final String READ = ApiTokens.generate();
    private static final String DEPLOY = ApiTokens.generate();
    private static final List<ApiToken> TOKENS = List.of(new ApiToken("rita", "read", ApiTokens.hash(READ)),
            new ApiToken("dave", "deploy", ApiTokens.hash(DEPLOY)));

    private static DeploysWorld world;
    private static ApiServer api;
    private static URI base;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        world = new DeploysWorld();
        api = server(TOKENS);
        base = URI.create("http://127.0.0.1:" + api.port());
    }

    /** An API server over the world with {@code tokens} and a login form at {@code /test/login}, as the dashboard has. */
    private static ApiServer server(List<ApiToken> tokens) {
        ApiServer server = new ApiServer(new ApiConfig(true, "127.0.0.1", 0, 4096L, Duration.ofSeconds(1), null, tokens), world.deploys,
                new JobQueue(world.database, QueueConfig.DEFAULTS), world.gate, world.blobs, world.plane, Duration.ofMillis(100));
        server.extend(routes -> {
            routes.post("/test/login", ctx -> routes.sessions().login(ctx, ctx.formParam("token")).ifPresentOrElse(
                    s -> ctx.json(Map.of("csrf", s.csrfToken(), "name", s.identity().name())), () -> ctx.status(401).result("no")));
            routes.post("/test/logout", ctx -> routes.sessions().logout(ctx));
        });
        server.start();
        return server;
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        world.close();
    }

    /** A logged-in browser: its cookie and CSRF token. */
    private record Login(String cookie, String csrf, String setCookie) {
    }

    private static Login login(String token, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/test/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        return new Login(cookie, Json.MAPPER.readTree(response.body()).path("csrf").asText(), setCookie);
    }

    private static HttpResponse<String> call(String method, String path, String cookie, String csrf) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (csrf != null) {
            request.header(BrowserSessions.CSRF_HEADER, csrf);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> response) throws Exception {
        JsonNode error = Json.MAPPER.readTree(response.body());
        return error.path("code").asText();
    }

    @Test
    void theCookieOfALoginActsAsItsTokenOnEveryEndpointEventStreamsIncluded() throws Exception {
        Login login = login(DEPLOY);

        assertThat(login.setCookie()).startsWith(BrowserSessions.COOKIE + "=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict")
                .contains("Path=/").doesNotContain("Secure").doesNotContain(DEPLOY);
        assertThat(login.csrf()).isNotBlank().doesNotContain(login.cookie().substring(login.cookie().indexOf('=') + 1));
        HttpResponse<String> whoami = call("GET", "/api/v1/whoami", login.cookie(), null);
        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(whoami.body()).path("name").asText()).isEqualTo("dave");
        HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/events/stream"))
                .header("Cookie", login.cookie()).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        stream.body().close();
        // behind a TLS proxy that says so, the cookie is Secure
        assertThat(login(DEPLOY, "X-Forwarded-Proto", "https").setCookie()).contains("Secure");
    }

    @Test
    void aChangeWithTheCookieNeedsTheSessionsCsrfTokenAndIsAuditedUnderTheTokensName() throws Exception {
        String env = world.newEnvironment();
        Login login = login(DEPLOY);

        HttpResponse<String> none = call("POST", "/api/v1/environments/" + env + "/pause", login.cookie(), null);
        HttpResponse<String> wrong = call("POST", "/api/v1/environments/" + env + "/pause", login.cookie(), login(DEPLOY).csrf());
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(code(none)).isEqualTo("csrf_token_invalid");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(world.plane.history().recent(env, 10)).isEmpty();

        // past the CSRF check, the scope still applies: locking needs admin
        HttpResponse<String> lock = call("POST", "/api/v1/environments/" + env + "/lock", login.cookie(), login.csrf());
        assertThat(lock.statusCode()).as(lock.body()).isEqualTo(403);
        assertThat(code(lock)).isEqualTo("insufficient_scope");

        Login reader = login(READ);
        HttpResponse<String> readOnly = call("POST", "/api/v1/environments/" + env + "/pause", reader.cookie(), reader.csrf());
        assertThat(readOnly.statusCode()).isEqualTo(403);
        assertThat(code(readOnly)).isEqualTo("insufficient_scope");

        String sha = DeploysWorld.newSha();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/deploys")).header("Cookie", login.cookie())
                .header(BrowserSessions.CSRF_HEADER, login.csrf()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sha\":\"" + sha + "\",\"environment\":\"" + env + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Json.MAPPER.readTree(created.body()).path("requestedBy").asText()).isEqualTo("dave");
        long id = Json.MAPPER.readTree(created.body()).path("id").asLong();
        HttpResponse<String> cancelled = call("POST", "/api/v1/deploys/" + id + "/cancel", login.cookie(), login.csrf());
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
        assertThat(world.deploys.get(id).cancelRequested() || world.deploys.get(id).isFinal()).isTrue();
        assertThat(CodeDeployClient.create(base, READ).history(env, 10)).extracting(AuditEntry::actor).allMatch("dave"::equals);
    }

    @Test
    void logoutExpiryAndTheTokensRemovalEndTheSessionOnEveryServer() throws Exception {
        Login kept = login(DEPLOY);
        Login loggedOut = login(DEPLOY);
        Login expired = login(DEPLOY);
        Login reader = login(READ);

        try (ApiServer second = server(List.of(TOKENS.get(1)))) {
            URI other = URI.create("http://127.0.0.1:" + second.port());
            // a second server of the fleet accepts the first's session, and not that of a token it does not have
            assertThat(http.send(HttpRequest.newBuilder(other.resolve("/api/v1/whoami")).header("Cookie", kept.cookie()).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            HttpResponse<String> removed = http.send(HttpRequest.newBuilder(other.resolve("/api/v1/whoami")).header("Cookie", reader.cookie())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(removed.statusCode()).isEqualTo(401);
            assertThat(code(removed)).isEqualTo("session_expired");
        }
        try (java.sql.Connection c = world.database.connection(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE api_sessions SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE id_hash = '"
                    + ApiTokens.hash(expired.cookie().substring(expired.cookie().indexOf('=') + 1)).substring(7) + "'");
            c.commit();
        }
        assertThat(call("GET", "/api/v1/whoami", expired.cookie(), null).statusCode()).isEqualTo(401);

        HttpResponse<String> bye = call("POST", "/test/logout", loggedOut.cookie(), null);
        assertThat(bye.headers().firstValue("Set-Cookie").orElseThrow()).startsWith(BrowserSessions.COOKIE + "=;").contains("Expires=Thu, 01 Jan 1970");
        HttpResponse<String> after = call("GET", "/api/v1/whoami", loggedOut.cookie(), null);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(code(after)).isEqualTo("session_expired");
        assertThat(call("GET", "/api/v1/whoami", kept.cookie(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void anExtensionIsAddedBeforeTheStartAndStaysOutsideTheApi() {
        assertThatThrownBy(() -> api.extend(routes -> { })).isInstanceOf(IllegalStateException.class);
        ApiServer server = new ApiServer(new ApiConfig(true, "127.0.0.1", 0, 4096L, Duration.ofSeconds(1), null, TOKENS), world.deploys,
                new JobQueue(world.database, QueueConfig.DEFAULTS), world.gate, world.blobs, world.plane, Duration.ofMillis(100));
        server.extend(routes -> routes.get("/api/v1/whoami", ctx -> ctx.result("someone else")));
        try (server) {
            assertThatThrownBy(server::start).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside /api/");
        }
    }
}
