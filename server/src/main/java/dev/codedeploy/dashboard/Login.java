package dev.codedeploy.dashboard;

import dev.codedeploy.api.BrowserSessions;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's login and logout. A person pastes their API token once into a form posted to this server (never
 * in a URL); a valid token opens a browser session ({@link BrowserSessions}) and the browser goes on to the page,
 * which never holds the token. The form carries a one-time value that must match a SameSite=Strict cookie set with
 * it, so another site cannot log a browser in under its own token; logout needs the session's CSRF token.
 */
final class Login {

    /** The login form. */
    static final String PATH = "/dashboard/login";
    /** The logout form's target. */
    static final String LOGOUT = "/dashboard/logout";
    /** The cookie holding the login form's one-time value. */
    static final String NONCE_COOKIE = "codedeploy_login";

    private static final Logger log = LoggerFactory.getLogger(Login.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_SECONDS = 1800;

    private final BrowserSessions sessions;
    private final Dashboard dashboard;
    private final Assets assets;

    Login(BrowserSessions sessions, Dashboard dashboard, Assets assets) {
        this.sessions = sessions;
        this.dashboard = dashboard;
        this.assets = assets;
    }

    /** The form, or the page when the browser is logged in already. */
    void form(Context ctx) {
        if (sessions.current(ctx).isPresent()) {
            ctx.redirect(Dashboard.PATH, HttpStatus.SEE_OTHER);
            return;
        }
        show(ctx, null, HttpStatus.OK);
    }

    /** Checks the posted form and token; opens a session and goes on to the page, or shows the form with why not. */
    void submit(Context ctx) {
        String expected = ctx.cookie(NONCE_COOKIE);
        String nonce = ctx.formParam("nonce");
        if (expected == null || nonce == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                nonce.getBytes(StandardCharsets.US_ASCII))) {
            show(ctx, "This login form has expired or was not sent from this page: try again.", HttpStatus.FORBIDDEN);
            return;
        }
        String token = ctx.formParam("token");
        if (token == null || token.isBlank()) {
            show(ctx, "Paste your API token (it starts with cdt_).", HttpStatus.BAD_REQUEST);
            return;
        }
        Optional<BrowserSessions.Session> session = sessions.login(ctx, token);
        if (session.isEmpty()) {
            log.warn("dashboard login refused from {}: not one of this server's tokens", ctx.ip());
            show(ctx, "That is not one of this server's tokens (api.tokens).", HttpStatus.UNAUTHORIZED);
            return;
        }
        log.info("dashboard login of {} ({}) from {}", session.get().identity().name(), session.get().identity().scope(), ctx.ip());
        ctx.cookie(nonceCookie(ctx, "", 0));
        ctx.redirect(Dashboard.PATH, HttpStatus.SEE_OTHER);
    }

    /** Ends the session (when the form carries its CSRF token) and goes back to the login form. */
    void logout(Context ctx) {
        Optional<BrowserSessions.Session> session = sessions.current(ctx);
        if (session.isPresent() && !sessions.carriesCsrfToken(ctx, session.get())) {
            ctx.status(HttpStatus.FORBIDDEN).result("This logout was not sent from the dashboard's page (no CSRF token); nothing changed.");
            return;
        }
        sessions.logout(ctx);
        session.ifPresent(s -> log.info("dashboard logout of {}", s.identity().name()));
        ctx.redirect(PATH, HttpStatus.SEE_OTHER);
    }

    private void show(Context ctx, String error, HttpStatus status) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ctx.cookie(nonceCookie(ctx, nonce, NONCE_SECONDS));
        dashboard.render(ctx, "login.jte", new LoginPage(error, nonce, assets), status);
    }

    private static Cookie nonceCookie(Context ctx, String value, int maxAge) {
        return new Cookie(NONCE_COOKIE, value, PATH, maxAge, BrowserSessions.isHttps(ctx), true, null, SameSite.STRICT);
    }
}
