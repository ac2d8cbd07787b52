package dev.codedeploy.api;

import dev.codedeploy.ConflictException;
import dev.codedeploy.InvalidFieldException;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.NotFoundException;
import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.client.ApiError;
import dev.codedeploy.client.Scope;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.database.DatabaseException;
import dev.codedeploy.deploys.Deploys;
import dev.codedeploy.json.Json;
import dev.codedeploy.lifecycle.AbstractService;
import dev.codedeploy.queue.JobQueue;
import dev.codedeploy.replication.gate.DeployGate;
import dev.codedeploy.rollout.DeployLockedException;
import dev.codedeploy.rollout.ReleaseConflictException;
import dev.codedeploy.rollout.RolloutControlPlane;
import dev.codedeploy.rollout.RolloutException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of {@code codedeploy server} (Javalin on Jetty), versioned under {@code /api/v1}: deploys (request,
 * read, list, cancel, follow as server-sent events), jobs and their logs, builds with their copy per region, each
 * environment's rollout, its hosts per wave and the actions on it. Every endpoint but {@code /api/v1/health} needs a
 * bearer token of {@code api.tokens} with the scope it names, or a browser session's cookie opened with such a token
 * ({@link BrowserSessions}); every refusal is a JSON {@link ApiError} with the status, a stable code, the field at
 * fault and a message. See {@code docs/api.md}. Extensions ({@link #extend}: the dashboard) serve their pages beside
 * the API on the same port.
 *
 * <p>Losing the database: requests that need it answer 503 ({@code database_unavailable}) until it is back; losing
 * ZooKeeper: the rollout views and actions answer 503 ({@code zookeeper_unavailable}); event streams stay open.
 */
public final class ApiServer extends AbstractService {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final String ANSWERED = "codedeploy.answered";

    private final ApiConfig config;
    private final ApiTokens tokens;
    private final Deploys deploys;
    private final JobQueue queue;
    private final DeployGate gate;
    private final BlobStore master;
    private final RolloutControlPlane plane;
    private final DeployEventFeed feed;
    private final BrowserSessions sessions;
    private final List<ApiExtension> extensions = new ArrayList<>();
    private Javalin app;

    /**
     * @param plane a started control plane (rollout views and actions)
     * @param poll  how often the event streams look for new events
     * @throws ConfigException when no token is configured
     */
    public ApiServer(ApiConfig config, Deploys deploys, JobQueue queue, DeployGate gate, BlobStore master, RolloutControlPlane plane,
                     Duration poll) {
        this.config = config;
        this.tokens = new ApiTokens(config.tokens());
        if (tokens.isEmpty()) {
            throw new ConfigException("api.tokens is empty: nobody could call the API. Create one with"
                    + " 'codedeploy tokens create NAME --scope deploy' and add the entry it prints");
        }
        this.deploys = deploys;
        this.queue = queue;
        this.gate = gate;
        this.master = master;
        this.plane = plane;
        this.feed = new DeployEventFeed(deploys, poll, config.keepAlive());
        this.sessions = new BrowserSessions(queue.database(), tokens);
    }

    /**
     * Serves {@code extension}'s routes beside the API (the dashboard); call before {@link #start()}.
     *
     * @return this server
     */
    public ApiServer extend(ApiExtension extension) {
        if (state() != State.LATENT) {
            throw new IllegalStateException("extensions are added before the API server starts; it is " + state());
        }
        extensions.add(extension);
        return this;
    }

    @Override
    protected void doStart() {
        feed.start();
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = config.maxBodyBytes();
            cfg.http.prefer405over404 = true;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            if (config.tls() != null) {
                cfg.jetty.addConnector((server, http) -> {
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setKeyStorePath(config.tls().keyStore());
                    ssl.setKeyStorePassword(config.tls().password());
                    ssl.setKeyStoreType("PKCS12");
                    ServerConnector https = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
                    https.setHost(config.host());
                    https.setPort(config.port());
                    return https;
                });
            }
            cfg.routes.before(this::checkSize);
            ApiRouter router = new ApiRouter(cfg.routes, tokens, sessions);
            router.open("/api/v1/health", ctx -> ctx.json(Map.of("status", "ok")));
            router.get("/api/v1/whoami", Scope.READ, ctx -> ctx.json(ApiRequests.identity(ctx)));
            new DeployRoutes(deploys, feed).register(router);
            new BuildRoutes(queue, gate, master).register(router);
            new EnvironmentRoutes(deploys, plane).register(router);
            new HostRoutes(deploys, plane).register(router);
            extensions.forEach(extension -> extension.register(new ExtensionRoutes(cfg, sessions)));
            cfg.routes.exception(Exception.class, this::refuse);
            cfg.routes.error(404, ctx -> unanswered(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path()
                    + " (the API is under /api/v1, see docs/api.md)"));
            cfg.routes.error(405, ctx -> unanswered(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path()));
        });
        if (config.tls() != null) {
            // the key store's connector is the only one: no plain HTTP beside it
            app.start();
        } else {
            app.start(config.host(), config.port());
        }
        log.info("API listening on {}://{}:{}/api/v1 with {} token(s)", config.tls() == null ? "http" : "https", config.host(), port(),
                config.tokens().size());
    }

    /** The port it listens on (the one picked when configured 0). */
    public int port() {
        return app.port();
    }

    /** How many event streams are open. */
    public int streams() {
        return feed.subscribers();
    }

    private void checkSize(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            throw new ApiException(413, "body_too_large", "body", "the body is " + declared + " bytes; at most " + config.maxBodyBytes()
                    + " are accepted (api.maxBodyBytes)");
        }
    }

    private void refuse(Exception e, Context ctx) {
        if (e instanceof ApiException a) {
            if (a.status() == 401) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"codedeploy\"");
            }
            answer(ctx, a.status(), a.code(), a.field(), a.getMessage());
        } else if (e instanceof InvalidFieldException f) {
            answer(ctx, 400, "invalid_field", f.field(), f.getMessage());
        } else if (e instanceof InvalidInputException) {
            answer(ctx, 400, "invalid_input", null, e.getMessage());
        } else if (e instanceof NotFoundException) {
            answer(ctx, 404, "not_found", null, e.getMessage());
        } else if (e instanceof ConflictException c) {
            answer(ctx, 409, c.code(), null, c.getMessage());
        } else if (e instanceof DeployLockedException) {
            answer(ctx, 409, "environment_locked", null, e.getMessage());
        } else if (e instanceof ReleaseConflictException) {
            answer(ctx, 409, "release_changed", null, e.getMessage());
        } else if (e instanceof RolloutException && e.getCause() == null) {
            answer(ctx, 409, "rollout_refused", null, e.getMessage());
        } else if (e instanceof RolloutException) {
            answer(ctx, 503, "zookeeper_unavailable", null, e.getMessage());
        } else if (e instanceof DatabaseException) {
            answer(ctx, 503, "database_unavailable", null, e.getMessage());
        } else if (e instanceof HttpResponseException h) {
            String code = h.getStatus() == 413 ? "body_too_large" : "http_" + h.getStatus();
            answer(ctx, h.getStatus(), code, h.getStatus() == 413 ? "body" : null, h.getStatus() == 413
                    ? "the body is larger than " + config.maxBodyBytes() + " bytes (api.maxBodyBytes)" : h.getMessage());
        } else {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            answer(ctx, 500, "internal_error", null, "the server failed: " + e + " (see its log)");
        }
    }

    private void unanswered(Context ctx, int status, String code, String message) {
        if (ctx.attribute(ANSWERED) == null) {
            answer(ctx, status, code, null, message);
        }
    }

    private static void answer(Context ctx, int status, String code, String field, String message) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(status).contentType("application/json").result(Json.write(new ApiError(status, code, field, message)));
    }

    @Override
    protected void doClose() {
        feed.close();
        if (app != null) {
            app.stop();
        }
    }
}
