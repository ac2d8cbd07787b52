package dev.codedeploy.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The Java client of a codedeploy server's HTTP API: request, read, list, cancel and follow deploys; read jobs,
 * builds and rollouts; steer an environment. It holds a server URL and a bearer token, nothing else.
 *
 * <pre>{@code
 * CodeDeployClient client = CodeDeployClient.create(URI.create("https://codedeploy.example.com"), token);
 * Deploy deploy = client.createDeploy(CreateDeploy.of(sha).withEnvironment("production"));
 * Deploy done = client.follow(deploy.id(), 0, e -> System.out.println(e.state() + " " + e.message()), Duration.ofMinutes(30));
 * }</pre>
 *
 * <p>Every refusal is an {@link ApiException} carrying the server's {@link ApiError}; an unreachable server is a
 * {@link CodeDeployClientException}. Thread-safe. A client that stops following changes nothing on the server.
 */
public final class CodeDeployClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final URI server;
    private final String token;
    private final Duration requestTimeout;
    private final HttpClient http;

    private CodeDeployClient(URI server, String token, Duration requestTimeout) {
        this.server = checkServer(server);
        this.token = checkToken(token);
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A client of {@code server} (for example {@code https://codedeploy.example.com}) with a bearer token.
     *
     * @throws IllegalArgumentException when the URL is not http(s) or the token is empty
     */
    public static CodeDeployClient create(URI server, String token) {
        return new CodeDeployClient(server, token, Duration.ofSeconds(30));
    }

    /** The same client with another per-request timeout (the event stream has none). */
    public CodeDeployClient withRequestTimeout(Duration timeout) {
        return new CodeDeployClient(server, token, timeout);
    }

    /** The server's URL. */
    public URI server() {
        return server;
    }

    // ---- deploys

    /** Requests a deploy; the server runs it whether or not anyone follows it. */
    public Deploy createDeploy(CreateDeploy request) {
        return send("POST", "/api/v1/deploys", request, Deploy.class);
    }

    /** The deploy {@code id}. */
    public Deploy deploy(long id) {
        return send("GET", "/api/v1/deploys/" + id, null, Deploy.class);
    }

    /** The deploy {@code id}, or null when it cannot be read now (for last-known reports). */
    Deploy tryDeploy(long id) {
        try {
            return deploy(id);
        } catch (CodeDeployClientException e) {
            return null;
        }
    }

    /**
     * Deploys, newest first.
     *
     * @param environment only this environment, or null for all
     * @param activeOnly  only those not yet final
     * @param limit       at most this many (1 to 500)
     */
    public List<Deploy> deploys(String environment, boolean activeOnly, int limit) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("environment", environment);
        query.put("active", activeOnly ? "true" : null);
        query.put("limit", limit);
        return list("/api/v1/deploys" + query(query), Deploy.class);
    }

    /** Asks to cancel a deploy: at once before its build runs, else at the conductor's next step. */
    public Deploy cancel(long id, String reason) {
        return send("POST", "/api/v1/deploys/" + id + "/cancel", ActionRequest.because(reason), Deploy.class);
    }

    /** The deploy's events after event {@code afterId} (0: from the start), oldest first. */
    public List<DeployEvent> events(long id, long afterId) {
        return list("/api/v1/deploys/" + id + "/events?after=" + afterId, DeployEvent.class);
    }

    /**
     * Follows a deploy until it ends, passing each event after {@code afterEventId} to {@code listener} once, in
     * order; a dropped connection is resumed where it stopped.
     *
     * @return the deploy in its final state
     * @throws FollowTimeoutException when it has not ended after {@code maxWait} (it goes on, on the server)
     * @throws InterruptedException   when the calling thread is interrupted (the deploy goes on)
     */
    public Deploy follow(long id, long afterEventId, Consumer<DeployEvent> listener, Duration maxWait) throws InterruptedException {
        return follow(id, afterEventId, listener, maxWait, event -> false);
    }

    /**
     * Follows a deploy as {@link #follow(long, long, Consumer, Duration)} does, but stops as soon as an event passed to
     * {@code listener} satisfies {@code until} (for example: its release is published), and returns the deploy as it is
     * then. The deploy goes on, on the server.
     *
     * @return the deploy in its final state, or as read after the event that satisfied {@code until}
     */
    public Deploy follow(long id, long afterEventId, Consumer<DeployEvent> listener, Duration maxWait, Predicate<DeployEvent> until)
            throws InterruptedException {
        return new DeployFollower(this, id, afterEventId, Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(until, "until"))
                .follow(maxWait);
    }

    // ---- jobs and builds

    /**
     * Build jobs, newest first.
     *
     * @param status only this status (QUEUED, RUNNING, ...), or null
     * @param sha    only this commit, or null
     * @param limit  at most this many (1 to 500)
     */
    public List<Job> jobs(String status, String sha, int limit) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("status", status);
        query.put("sha", sha);
        query.put("limit", limit);
        return list("/api/v1/jobs" + query(query), Job.class);
    }

    /** The job {@code id}. */
    public Job job(long id) {
        return send("GET", "/api/v1/jobs/" + id, null, Job.class);
    }

    /** The last {@code maxBytes} of a job's build log. */
    public String jobLog(long id, int maxBytes) {
        HttpResponse<String> response = exchange(request("/api/v1/jobs/" + id + "/log?tail=" + maxBytes).GET(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    /** Cancels a build job: a queued one at once, a running one at its worker's next heartbeat. */
    public Job cancelJob(long id, String reason) {
        return send("POST", "/api/v1/jobs/" + id + "/cancel", ActionRequest.because(reason), Job.class);
    }

    /** The newest COMPLETED builds with their regional copies. */
    public List<Build> builds(int limit) {
        return list("/api/v1/builds?limit=" + limit, Build.class);
    }

    /** The build {@code id} with its regional copies. */
    public Build build(long id) {
        return send("GET", "/api/v1/builds/" + id, null, Build.class);
    }

    // ---- environments

    /** Every environment the server knows, each with its rollout. */
    public List<Rollout> environments() {
        return list("/api/v1/environments", Rollout.class);
    }

    /** Where {@code environment}'s rollout stands. */
    public Rollout rollout(String environment) {
        return send("GET", "/api/v1/environments/" + path(environment), null, Rollout.class);
    }

    /** The newest audit rows of {@code environment}. */
    public List<AuditEntry> history(String environment, int limit) {
        return list("/api/v1/environments/" + path(environment) + "/history?limit=" + limit, AuditEntry.class);
    }

    /** The hosts of each wave of {@code environment}'s release, by state (empty without a release). */
    public List<Wave> waves(String environment) {
        return list("/api/v1/environments/" + path(environment) + "/waves", Wave.class);
    }

    /**
     * A page of {@code environment}'s hosts, worst first.
     *
     * @param region only this region, or null
     * @param state  only this state (or {@code OTHER_BUILD}), or null
     * @param wave   only this wave (1 for the first), or 0 for all
     * @param offset hosts to skip
     * @param limit  at most this many (1 to 500)
     */
    public HostPage hosts(String environment, String region, String state, int wave, int offset, int limit) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("region", region);
        query.put("state", state);
        query.put("wave", wave > 0 ? wave : null);
        query.put("offset", offset > 0 ? offset : null);
        query.put("limit", limit);
        return send("GET", "/api/v1/environments/" + path(environment) + "/hosts" + query(query), null, HostPage.class);
    }

    /** Pauses the rollout: no further wave opens. */
    public Rollout pause(String environment, String reason) {
        return act(environment, "pause", ActionRequest.because(reason));
    }

    /** Resumes a paused rollout. */
    public Rollout resume(String environment, String reason) {
        return act(environment, "resume", ActionRequest.because(reason));
    }

    /** Rolls back to the build the environment ran before. */
    public Rollout rollback(String environment, String reason) {
        return act(environment, "rollback", ActionRequest.because(reason));
    }

    /** Locks the environment, or freezes it until {@code until} when not null. */
    public Rollout lock(String environment, String reason, Instant until) {
        return act(environment, "lock", new ActionRequest(reason, until));
    }

    /** Removes the lock or freeze. */
    public Rollout unlock(String environment, String reason) {
        return act(environment, "unlock", ActionRequest.because(reason));
    }

    private Rollout act(String environment, String action, ActionRequest body) {
        return send("POST", "/api/v1/environments/" + path(environment) + "/" + action, body, Rollout.class);
    }

    /** Who this client's token is. */
    public Identity whoami() {
        return send("GET", "/api/v1/whoami", null, Identity.class);
    }

    // ---- plumbing

    /**
     * Opens the event stream at {@code path} after event {@code lastEventId}; its lines reach {@code lines}, and so does
     * a failure to connect.
     */
    void openStream(String path, long lastEventId, EventStreamLines lines) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").GET();
        if (lastEventId > 0) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        http.sendAsync(request.build(), lines.handler()).whenComplete((response, error) -> {
            if (error != null) {
                lines.failed(error);
            }
        });
    }

    /** The refusal of a stream that answered {@code status} with {@code body}. */
    static CodeDeployClientException streamRefused(int status, String body, String path) {
        return error(status, body, path);
    }

    private <T> T send(String method, String path, Object body, Class<T> type) {
        HttpRequest.Builder request = request(path);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(write(body)));
        }
        return read(exchange(request, HttpResponse.BodyHandlers.ofString()).body(), ClientJson.MAPPER.constructType(type), path);
    }

    private <T> List<T> list(String path, Class<T> type) {
        JavaType items = ClientJson.MAPPER.getTypeFactory().constructParametricType(Items.class, type);
        Items<T> answer = read(exchange(request(path).GET(), HttpResponse.BodyHandlers.ofString()).body(), items, path);
        return answer.items();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(requestTimeout).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        HttpRequest built = request.build();
        HttpResponse<T> response;
        try {
            response = http.send(built, handler);
        } catch (IOException e) {
            throw new CodeDeployClientException("cannot reach the codedeploy server at " + server + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CodeDeployClientException("interrupted while calling " + built.method() + " " + built.uri(), e);
        }
        if (response.statusCode() >= 300) {
            throw error(response.statusCode(), String.valueOf(response.body()), built.uri().getPath());
        }
        return response;
    }

    private static CodeDeployClientException error(int status, String body, String path) {
        try {
            ApiError error = ClientJson.MAPPER.readValue(body, ApiError.class);
            if (error.code() != null && error.message() != null) {
                return new ApiException(error);
            }
        } catch (JsonProcessingException notJson) {
            // a proxy's page, not the API's: reported as such below
        }
        String excerpt = body.length() > 200 ? body.substring(0, 200) + "..." : body;
        return new ApiException(new ApiError(status, "http_" + status, null, "HTTP " + status + " from " + path
                + " with a body that is not the API's: " + excerpt.strip()));
    }

    /** {@code path} under the server's URL, which may carry a prefix of a reverse proxy ({@code https://host/codedeploy/}). */
    private URI uri(String path) {
        return server.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    private static <T> T read(String body, JavaType type, String path) {
        try {
            return ClientJson.MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new CodeDeployClientException("the answer of " + path + " is not a " + type.getRawClass().getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private static byte[] write(Object body) {
        try {
            return ClientJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static String query(Map<String, Object> parameters) {
        String query = parameters.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }

    private static String path(String segment) {
        return URLEncoder.encode(Objects.requireNonNull(segment, "environment"), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI checkServer(URI server) {
        if (server == null || server.getHost() == null || !("http".equals(server.getScheme()) || "https".equals(server.getScheme()))) {
            throw new IllegalArgumentException("the server URL must be http(s)://host[:port], got " + server);
        }
        String text = server.toString();
        return text.endsWith("/") ? server : URI.create(text + "/");
    }

    private static String checkToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a token is needed: ask the server's operator for one (codedeploy tokens create)");
        }
        if (token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("the token has spaces or characters that cannot go in an HTTP header");
        }
        return token.strip();
    }
}
