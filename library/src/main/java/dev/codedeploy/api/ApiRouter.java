package dev.codedeploy.api;

import dev.codedeploy.client.Identity;
import dev.codedeploy.client.Scope;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Set;

/**
 * Registers the API's routes on Javalin's router, each behind the bearer-token check and the scope it needs: a
 * missing or unknown token is a 401, a token whose scope is too small a 403, before the handler runs. A request
 * without an {@code Authorization} header may instead carry a browser session's cookie ({@link BrowserSessions}); one
 * that changes something then also needs the session's CSRF token, else it is a 403.
 */
final class ApiRouter {

    /** Methods that change nothing: a session needs no CSRF token for them. */
    private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS, HandlerType.QUERY);

    private final RoutesConfig routes;
    private final ApiTokens tokens;
    private final BrowserSessions sessions;

    ApiRouter(RoutesConfig routes, ApiTokens tokens, BrowserSessions sessions) {
        this.routes = routes;
        this.tokens = tokens;
        this.sessions = sessions;
    }

    void get(String path, Scope scope, Handler handler) {
        routes.get(path, guarded(scope, handler));
    }

    void post(String path, Scope scope, Handler handler) {
        routes.post(path, guarded(scope, handler));
    }

    /** A server-sent-event stream: also refused (406) when the client does not accept {@code text/event-stream}. */
    void stream(String path, Scope scope, Handler handler) {
        routes.get(path, guarded(scope, ctx -> {
            String accept = ctx.header("Accept");
            if (accept == null || !accept.contains("text/event-stream")) {
                throw new ApiException(406, "not_acceptable", "Accept", "this is an event stream: send Accept: text/event-stream"
                        + " (or read the same events as JSON without /stream)");
            }
            handler.handle(ctx);
        }));
    }

    /** An endpoint anyone may call (health checks). */
    void open(String path, Handler handler) {
        routes.get(path, handler);
    }

    private Handler guarded(Scope scope, Handler handler) {
        return ctx -> {
            Identity identity = authenticate(ctx);
            if (!identity.scope().allows(scope)) {
                throw new ApiException(403, "insufficient_scope", null, "token '" + identity.name() + "' has scope "
                        + identity.scope().name().toLowerCase() + "; " + ctx.method() + " " + ctx.endpoint().path + " needs "
                        + scope.name().toLowerCase());
            }
            ctx.attribute(ApiRequests.IDENTITY, identity);
            handler.handle(ctx);
        };
    }

    private Identity authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if ((header == null || header.isBlank()) && ctx.cookie(BrowserSessions.COOKIE) != null) {
            return fromSession(ctx);
        }
        if (header == null || header.isBlank()) {
            throw unauthorized("missing_token", "no token: send Authorization: Bearer <token>");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("invalid_token", "the Authorization header must be Bearer <token>");
        }
        return tokens.authenticate(header.substring(7)).orElseThrow(() ->
                unauthorized("invalid_token", "the token is not one of this server's (api.tokens)"));
    }

    private Identity fromSession(Context ctx) {
        BrowserSessions.Session session = sessions.current(ctx).orElseThrow(() ->
                unauthorized("session_expired", "the session of this cookie has ended (logout, expiry, or its token was removed): log in again"));
        if (!SAFE.contains(ctx.method()) && !sessions.carriesCsrfToken(ctx, session)) {
            throw new ApiException(403, "csrf_token_invalid", BrowserSessions.CSRF_HEADER, "a change made with a session cookie needs the"
                    + " session's CSRF token in " + BrowserSessions.CSRF_HEADER + " (the dashboard's pages send it)");
        }
        return session.identity();
    }

    private static ApiException unauthorized(String code, String message) {
        return new ApiException(401, code, "Authorization", message);
    }
}
