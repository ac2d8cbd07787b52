package dev.codedeploy.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API for deployments on loopback (WireMock), for tests and the sandbox: it serves exactly the calls
 * the Action's {@code dev.codedeploy.ghaction.github} makes ({@code GET /repos/{owner}/{repo}}, {@code POST .../deployments},
 * {@code POST .../deployments/{id}/statuses}), checks the token and the fields as GitHub does, and records what it
 * received. Anything else is answered 404.
 */
public final class EmbeddedGitHub implements AutoCloseable {

    /** The states GitHub accepts for a deployment status. */
    public static final Set<String> STATUS_STATES = Set.of("error", "failure", "inactive", "in_progress", "queued", "pending", "success");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPOSITORY = Pattern.compile("/repos/([^/]+)/([^/]+)");
    private static final Pattern DEPLOYMENTS = Pattern.compile("/repos/([^/]+)/([^/]+)/deployments");
    private static final Pattern STATUSES = Pattern.compile("/repos/([^/]+)/([^/]+)/deployments/(\\d+)/statuses");

    private final String token;
    private final Set<String> repositories = ConcurrentHashMap.newKeySet();
    private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Deployment> deployments = new CopyOnWriteArrayList<>();
    private final List<Status> statuses = new CopyOnWriteArrayList<>();
    private final WireMockServer server;

    private EmbeddedGitHub(String token) {
        this.token = token;
        this.server = new WireMockServer(WireMockConfiguration.wireMockConfig()
                .bindAddress("127.0.0.1").dynamicPort().containerThreads(12).extensions(new Api()));
    }

    /**
     * Starts the API on a free port.
     *
     * @param token        the one token it accepts ({@code Authorization: token ...} or {@code Bearer ...})
     * @param repositories the repositories that exist, {@code owner/name}
     */
    public static EmbeddedGitHub start(String token, String... repositories) {
        EmbeddedGitHub github = new EmbeddedGitHub(token);
        github.repositories.addAll(List.of(repositories));
        github.server.start();
        github.server.stubFor(any(anyUrl()).willReturn(aResponse()));
        return github;
    }

    /** The API's base URL, what {@code GITHUB_API_URL} holds on a runner. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The token it accepts. */
    public String token() {
        return token;
    }

    /** Answers every {@code method} request whose path matches {@code pathRegex} with {@code status} and GitHub's error body. */
    public void refuse(String method, String pathRegex, int status, String message) {
        refusals.put(method + " " + pathRegex, new Refusal(method, Pattern.compile(pathRegex), status, message));
    }

    /** Forgets what it received and every refusal. */
    public void reset() {
        refusals.clear();
        requests.clear();
        deployments.clear();
        statuses.clear();
    }

    /** Every request received, as {@code METHOD /path}, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The deployments created, in order. */
    public List<Deployment> deployments() {
        return List.copyOf(deployments);
    }

    /** The statuses posted to deployment {@code id}, in order. */
    public List<Status> statuses(long deploymentId) {
        return statuses.stream().filter(s -> s.deploymentId() == deploymentId).toList();
    }

    @Override
    public void close() {
        server.stop();
    }

    /**
     * A deployment GitHub created.
     *
     * @param id          its id
     * @param repository  owner/name
     * @param body        the JSON the client sent
     */
    public record Deployment(long id, String repository, JsonNode body) {
        /** The ref (a SHA) deployed. */
        public String ref() {
            return body.path("ref").asText(null);
        }

        /** The environment. */
        public String environment() {
            return body.path("environment").asText(null);
        }
    }

    /**
     * A status GitHub accepted.
     *
     * @param deploymentId the deployment
     * @param body         the JSON the client sent
     */
    public record Status(long deploymentId, JsonNode body) {
        /** {@code queued}, {@code in_progress}, ... */
        public String state() {
            return body.path("state").asText(null);
        }

        /** The description. */
        public String description() {
            return body.path("description").asText(null);
        }

        /** The log URL. */
        public String logUrl() {
            return body.path("log_url").asText(null);
        }

        /** The environment URL. */
        public String environmentUrl() {
            return body.path("environment_url").asText(null);
        }
    }

    private record Refusal(String method, Pattern path, int status, String message) {
    }

    /** The API itself: routes each request by method and path. */
    private final class Api implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "github-api";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            LoggedRequest request = event.getRequest();
            String method = request.getMethod().getName();
            String path = request.getUrl().replaceFirst("\\?.*", "");
            requests.add(method + " " + path);
            String authorization = request.getHeader("Authorization");
            if (authorization == null || !(authorization.equals("token " + token) || authorization.equals("Bearer " + token))) {
                return error(401, "Bad credentials");
            }
            for (Refusal refusal : refusals.values()) {
                if (refusal.method().equals(method) && refusal.path().matcher(path).matches()) {
                    return error(refusal.status(), refusal.message());
                }
            }
            Matcher m;
            if ("GET".equals(method) && (m = REPOSITORY.matcher(path)).matches()) {
                return known(m) ? json(200, repository(m.group(1), m.group(2))) : error(404, "Not Found");
            }
            if ("POST".equals(method) && (m = DEPLOYMENTS.matcher(path)).matches()) {
                return known(m) ? createDeployment(m.group(1) + "/" + m.group(2), request.getBodyAsString()) : error(404, "Not Found");
            }
            if ("POST".equals(method) && (m = STATUSES.matcher(path)).matches()) {
                return known(m) ? createStatus(m.group(1) + "/" + m.group(2), Long.parseLong(m.group(3)), request.getBodyAsString())
                        : error(404, "Not Found");
            }
            return error(404, "Not Found");
        }

        private boolean known(Matcher m) {
            return repositories.contains(m.group(1) + "/" + m.group(2));
        }

        private ResponseDefinition createDeployment(String repository, String text) {
            JsonNode body = parse(text);
            if (body == null || !body.path("ref").isTextual() || body.path("ref").asText().isBlank()) {
                return validationFailed("Deployment", "ref", "ref is missing");
            }
            long id = ids.incrementAndGet();
            deployments.add(new Deployment(id, repository, body));
            ObjectNode answer = JSON.createObjectNode();
            String url = apiUrl() + "/repos/" + repository + "/deployments/" + id;
            answer.put("id", id).put("url", url).put("sha", body.path("ref").asText()).put("ref", body.path("ref").asText())
                    .put("task", body.path("task").asText("deploy")).put("environment", body.path("environment").asText("production"))
                    .put("description", body.path("description").asText(null)).put("statuses_url", url + "/statuses")
                    .put("repository_url", apiUrl() + "/repos/" + repository)
                    .put("created_at", "2026-01-01T00:00:00Z").put("updated_at", "2026-01-01T00:00:00Z");
            return json(201, answer);
        }

        private ResponseDefinition createStatus(String repository, long deploymentId, String text) {
            if (deployments.stream().noneMatch(d -> d.id() == deploymentId && d.repository().equals(repository))) {
                return error(404, "Not Found");
            }
            JsonNode body = parse(text);
            if (body == null || !STATUS_STATES.contains(body.path("state").asText())) {
                return validationFailed("DeploymentStatus", "state", "state is not included in the list");
            }
            statuses.add(new Status(deploymentId, body));
            ObjectNode answer = JSON.createObjectNode();
            String deploymentUrl = apiUrl() + "/repos/" + repository + "/deployments/" + deploymentId;
            long id = ids.incrementAndGet();
            answer.put("id", id).put("url", deploymentUrl + "/statuses/" + id).put("state", body.path("state").asText())
                    .put("description", body.path("description").asText(""))
                    .put("log_url", body.path("log_url").asText(null)).put("environment_url", body.path("environment_url").asText(null))
                    .put("deployment_url", deploymentUrl).put("repository_url", apiUrl() + "/repos/" + repository)
                    .put("created_at", "2026-01-01T00:00:00Z").put("updated_at", "2026-01-01T00:00:00Z");
            return json(201, answer);
        }

        private ObjectNode repository(String owner, String name) {
            ObjectNode repo = JSON.createObjectNode();
            repo.put("id", Math.abs((owner + "/" + name).hashCode())).put("name", name).put("full_name", owner + "/" + name)
                    .put("private", false).put("default_branch", "main")
                    .put("url", apiUrl() + "/repos/" + owner + "/" + name).put("html_url", "https://github.com/" + owner + "/" + name);
            repo.putObject("owner").put("login", owner).put("id", Math.abs(owner.hashCode())).put("type", "Organization");
            return repo;
        }

        private ResponseDefinition validationFailed(String resource, String field, String message) {
            ObjectNode body = JSON.createObjectNode();
            body.put("message", "Validation Failed");
            body.putArray("errors").addObject().put("resource", resource).put("code", "custom").put("field", field).put("message", message);
            return json(422, body);
        }

        private ResponseDefinition error(int status, String message) {
            ObjectNode body = JSON.createObjectNode();
            body.put("message", message).put("documentation_url", "https://docs.github.com/rest");
            return json(status, body);
        }

        private ResponseDefinition json(int status, JsonNode body) {
            return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(body.toString()).build();
        }

        private JsonNode parse(String text) {
            try {
                return text == null || text.isBlank() ? null : JSON.readTree(text);
            } catch (IOException e) {
                return null;
            }
        }
    }
}
