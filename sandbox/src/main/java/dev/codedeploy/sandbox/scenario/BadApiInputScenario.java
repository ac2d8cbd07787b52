package dev.codedeploy.sandbox.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codedeploy.api.ApiConfig;
import dev.codedeploy.api.ApiServer;
import dev.codedeploy.api.ApiToken;
import dev.codedeploy.api.ApiTokens;
import dev.codedeploy.config.DefaultsConfig;
import dev.codedeploy.deploys.Deploys;
import dev.codedeploy.deploys.DeploysConfig;
import dev.codedeploy.json.Json;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.queue.QueueConfig;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.rollout.DeployLock;
import dev.codedeploy.rollout.RolloutPolicy;
import dev.codedeploy.sandbox.Result;
import dev.codedeploy.sandbox.cluster.RolloutSandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code bad-api-input}: the HTTP API of a server (on embedded MariaDB and ZooKeeper) is sent unauthenticated,
 * wrong-scope and malformed requests: every one is refused with the status it deserves and a JSON error naming the
 * field, and no deploy or job is created.
 */
public final class BadApiInputScenario implements Scenario {

    private record Case(String name, int status, String code, String field, String method, String path, String token, String contentType,
                        String body) {
    }

    @Override
    public String name() {
        return "bad-api-input";
    }

    @Override
    public String description() {
        return "unauthenticated, wrong-scope and malformed API requests: each refused with its status and a JSON error, nothing created";
    }

    @Override
    public Result run(ScenarioContext ctx) throws Exception {
        String read = ApiTokens.generate();
        String deploy = ApiTokens.generate();
        String env = RolloutSandbox.ENVIRONMENT;
        try (RolloutSandbox sandbox = RolloutSandbox.start(ctx.workDir(), List.of("east"), RolloutPolicy.DEFAULTS, Duration.ofSeconds(5),
                Duration.ofSeconds(1), EnumSet.noneOf(dev.codedeploy.rollout.RolloutControlPlane.Role.class))) {
            Deploys deploys = new Deploys(sandbox.database(), DeploysConfig.DEFAULTS, Set.of(env), new DefaultsConfig(env,
                    "https://example.com/app.git"), e -> sandbox.plane().locks().current(e).map(DeployLock::describe));
            ApiConfig config = new ApiConfig(true, "127.0.0.1", 0, 4096L, null, null, List.of(
                    new ApiToken("viewer", "read", ApiTokens.hash(read)), new ApiToken("ci", "deploy", ApiTokens.hash(deploy))));
            try (ApiServer api = new ApiServer(config, deploys, new JobQueue(sandbox.database(), QueueConfig.DEFAULTS),
                    new DeployGate(sandbox.database(), Set.of("east")), sandbox.masterStore(), sandbox.plane(), Duration.ofMillis(200))) {
                api.start();
                URI base = URI.create("http://127.0.0.1:" + api.port());
                String sha = "\"" + "a".repeat(40) + "\"";
                String good = "{\"sha\":" + sha + ",\"environment\":\"" + env + "\"}";
                List<Case> cases = List.of(
                        new Case("no token", 401, "missing_token", "Authorization", "POST", "/api/v1/deploys", null, "application/json", good),
                        new Case("unknown token", 401, "invalid_token", "Authorization", "POST", "/api/v1/deploys", "cdt_guess",
                                "application/json", good),
                        new Case("not a bearer token", 401, "invalid_token", "Authorization", "POST", "/api/v1/deploys", "basic:" + deploy,
                                "application/json", good),
                        new Case("read token deploying", 403, "insufficient_scope", null, "POST", "/api/v1/deploys", read, "application/json", good),
                        new Case("deploy token locking", 403, "insufficient_scope", null, "POST", "/api/v1/environments/" + env + "/lock", deploy,
                                "application/json", "{\"reason\":\"x\"}"),
                        new Case("short SHA", 400, "invalid_field", "sha", "POST", "/api/v1/deploys", deploy, "application/json",
                                "{\"sha\":\"abc123\"}"),
                        new Case("branch name as SHA", 400, "invalid_field", "sha", "POST", "/api/v1/deploys", deploy, "application/json",
                                "{\"sha\":\"main\"}"),
                        new Case("unknown environment", 400, "invalid_field", "environment", "POST", "/api/v1/deploys", deploy,
                                "application/json", "{\"sha\":" + sha + ",\"environment\":\"prod-typo\"}"),
                        new Case("malformed repository", 400, "invalid_field", "repository", "POST", "/api/v1/deploys", deploy,
                                "application/json", "{\"sha\":" + sha + ",\"repository\":\"ftp:/nowhere\"}"),
                        new Case("timeout out of range", 400, "invalid_field", "timeoutSeconds", "POST", "/api/v1/deploys", deploy,
                                "application/json", "{\"sha\":" + sha + ",\"timeoutSeconds\":-5}"),
                        new Case("oversized body", 413, "body_too_large", "body", "POST", "/api/v1/deploys", deploy, "application/json",
                                "{\"sha\":" + sha + ",\"reason\":\"" + "x".repeat(8000) + "\"}"),
                        new Case("wrong content type", 415, "unsupported_media_type", "Content-Type", "POST", "/api/v1/deploys", deploy,
                                "application/x-www-form-urlencoded", "sha=" + "a".repeat(40)),
                        new Case("malformed JSON", 400, "malformed_json", "body", "POST", "/api/v1/deploys", deploy, "application/json",
                                "{\"sha\": "),
                        new Case("unknown field", 400, "unknown_field", "branch", "POST", "/api/v1/deploys", deploy, "application/json",
                                "{\"sha\":" + sha + ",\"branch\":\"main\"}"),
                        new Case("no body", 400, "missing_body", "body", "POST", "/api/v1/deploys", deploy, "application/json", ""),
                        new Case("unknown deploy", 404, "not_found", null, "GET", "/api/v1/deploys/424242", read, null, null),
                        new Case("cancel of an unknown deploy", 404, "not_found", null, "POST", "/api/v1/deploys/424242/cancel", deploy, null, null),
                        new Case("id that is no number", 400, "invalid_field", "id", "GET", "/api/v1/deploys/1%3B%20DROP%20TABLE", read, null, null),
                        new Case("unknown endpoint", 404, "not_found", null, "GET", "/api/v1/deployz", read, null, null),
                        new Case("wrong method", 405, "method_not_allowed", null, "PUT", "/api/v1/deploys", deploy, "application/json", good),
                        new Case("stream without Accept", 406, "not_acceptable", "Accept", "GET", "/api/v1/events/stream", read, null, null));
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                int refused = 0;
                for (Case c : cases) {
                    HttpResponse<String> response = http.send(request(base, c), HttpResponse.BodyHandlers.ofString());
                    String verdict = judge(c, response);
                    if (verdict == null) {
                        refused++;
                    }
                    ctx.say("%-28s -> %d %s%s", c.name(), response.statusCode(), abbreviate(response.body()),
                            verdict == null ? "" : "   WRONG: " + verdict);
                }
                long created = count(sandbox, "deploys") + count(sandbox, "jobs");
                ctx.say("deploys and jobs in the database afterwards: %d", created);
                return Result.scenario(name()).ok(refused == cases.size() && created == 0).put("cases", cases.size()).put("refused", refused)
                        .put("created", created);
            }
        }
    }

    private static HttpRequest request(URI base, Case c) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(c.path())).timeout(Duration.ofSeconds(10)).method(c.method(),
                c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(c.body()));
        if (c.token() != null) {
            b.header("Authorization", c.token().startsWith("basic:") ? "Basic " + c.token().substring(6) : "Bearer " + c.token());
        }
        if (c.contentType() != null) {
            b.header("Content-Type", c.contentType());
        }
        return b.build();
    }

    /** Null when the answer is the expected refusal, else what is wrong with it. */
    private static String judge(Case c, HttpResponse<String> response) {
        if (response.statusCode() != c.status()) {
            return "status " + response.statusCode() + ", expected " + c.status();
        }
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            return "not JSON";
        }
        JsonNode error;
        try {
            error = Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            return "unreadable JSON";
        }
        List<String> wrong = new ArrayList<>();
        if (error.path("status").asInt() != c.status()) {
            wrong.add("status field");
        }
        if (!c.code().equals(error.path("code").asText())) {
            wrong.add("code " + error.path("code").asText());
        }
        if (c.field() != null && !c.field().equals(error.path("field").asText())) {
            wrong.add("field " + error.path("field").asText());
        }
        if (error.path("message").asText().isBlank()) {
            wrong.add("no message");
        }
        return wrong.isEmpty() ? null : String.join(", ", wrong);
    }

    private static long count(RolloutSandbox sandbox, String table) throws Exception {
        try (Connection c = sandbox.database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 150 ? s.substring(0, 147) + "..." : s;
    }
}
