package dev.codedeploy.dashboard;

import dev.codedeploy.api.ApiExtension;
import dev.codedeploy.api.BrowserSessions;
import dev.codedeploy.api.ExtensionRoutes;
import dev.codedeploy.client.Scope;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;
import java.util.Optional;

/**
 * The web dashboard that {@code codedeploy server} serves beside its API, on the same port: one page showing the
 * queue, the builds and their copies per region, the deploys with their stage timings, and per environment its
 * release, waves and hosts by state, kept up to date from the API's event stream and by polling; the actions a
 * token's scope allows (cancel, pause, resume, roll back, lock, unlock) as buttons. See {@code docs/dashboard.md}.
 *
 * <p>It holds no data of its own and reads nothing but the request: the page's scripts call {@code /api/v1} with the
 * browser's session cookie, so the API authenticates, authorizes, validates and audits every read and action as it
 * does for any client. This class serves the page (templates compiled at build time from {@code src/main/jte}), the
 * login and logout forms ({@link Login}) and the static files: its own and the webjars (htmx, its SSE extension,
 * Mustache.js). Nothing is loaded from another site.
 */
public final class Dashboard implements ApiExtension {

    /** The page. */
    public static final String PATH = "/dashboard";

    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final Assets assets = Assets.load();

    @Override
    public void register(ExtensionRoutes routes) {
        BrowserSessions sessions = routes.sessions();
        Login login = new Login(sessions, this, assets);
        routes.webjars();
        routes.staticFiles(Assets.PATH, "/dev/codedeploy/dashboard/assets", Map.of("Cache-Control", "no-cache", "X-Content-Type-Options",
                "nosniff"));
        routes.get("/", ctx -> ctx.redirect(PATH, HttpStatus.SEE_OTHER));
        routes.get(PATH, ctx -> page(ctx, sessions));
        routes.get(Login.PATH, login::form);
        routes.post(Login.PATH, login::submit);
        routes.post(Login.LOGOUT, login::logout);
    }

    private void page(Context ctx, BrowserSessions sessions) {
        Optional<BrowserSessions.Session> session = sessions.current(ctx);
        if (session.isEmpty()) {
            ctx.redirect(Login.PATH, HttpStatus.SEE_OTHER);
            return;
        }
        BrowserSessions.Session s = session.get();
        Scope scope = s.identity().scope();
        render(ctx, "dashboard.jte", new DashboardPage(s.identity().name(), scope.name().toLowerCase(java.util.Locale.ROOT), s.csrfToken(),
                scope.allows(Scope.DEPLOY), scope.allows(Scope.ADMIN), s.expiresAt(), assets), HttpStatus.OK);
    }

    /**
     * Renders {@code template} with {@code model} as an HTML page with the dashboard's security headers: scripts,
     * styles and connections only from this server, no framing, no referrer, and never cached (a page holds its
     * session's CSRF token).
     */
    void render(Context ctx, String template, Object model, HttpStatus status) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        ctx.status(status)
                .header("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                        + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .html(out.toString());
    }
}
