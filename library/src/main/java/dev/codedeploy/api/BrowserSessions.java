package dev.codedeploy.api;

import dev.codedeploy.client.Identity;
import dev.codedeploy.database.Database;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Browser sessions of the API, for the dashboard: a person pastes their token once into a login form; the server
 * checks it and answers with a session cookie ({@value #COOKIE}: HttpOnly, SameSite=Strict, Secure over HTTPS) that
 * every {@code /api/v1} endpoint accepts in place of {@code Authorization: Bearer}, event streams included, which a
 * browser's {@code EventSource} cannot give a header. The token itself is never stored, sent back, or put in a URL or
 * a page.
 *
 * <p>The cookie carries 32 random bytes; the database keeps only their SHA-256 ({@code api_sessions}), so every
 * server of a fleet accepts the session and a reader of the table cannot use it. A session acts as its token with the
 * token's current scope, and ends at logout, after {@link #LIFETIME}, or as soon as its token is removed from
 * {@code api.tokens} or rotated. A request it authenticates that changes something (any method but GET, HEAD and
 * OPTIONS) must also carry the session's CSRF token in {@value #CSRF_HEADER} (or the form field {@value #CSRF_FIELD}):
 * an HMAC of the cookie's secret that the server's pages hold and other sites cannot read.
 *
 * <p>Losing the database: logins, logouts and cookie-authenticated requests fail with 503 until it is back; bearer
 * tokens keep working.
 */
public final class BrowserSessions {

    /** The session cookie. */
    public static final String COOKIE = "codedeploy_session";
    /** The header carrying the CSRF token. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** The form field carrying the CSRF token (a plain HTML form, such as the logout button). */
    public static final String CSRF_FIELD = "csrf";
    /** How long a session lasts from its login. */
    public static final Duration LIFETIME = Duration.ofHours(12);

    private static final Pattern COOKIE_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;
    private final ApiTokens tokens;

    /**
     * A live session.
     *
     * @param identity  who it acts as, with the token's scope now
     * @param csrfToken what its pages send with every change
     * @param expiresAt when it ends
     */
    public record Session(Identity identity, String csrfToken, Instant expiresAt) {
    }

    BrowserSessions(Database database, ApiTokens tokens) {
        this.database = database.addMapper(SessionMapper.class);
        this.tokens = tokens;
    }

    /**
     * Opens a session for {@code token} and sets its cookie on the response.
     *
     * @return who the token is, or empty (and no cookie) when it is not one of this server's tokens
     */
    public Optional<Session> login(Context ctx, String token) {
        Optional<Identity> identity = tokens.authenticate(token);
        if (identity.isEmpty()) {
            return Optional.empty();
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String tokenHash = ApiTokens.hash(token.strip());
        database.inTransaction(SessionMapper.class, m -> {
            m.deleteExpired(1000);
            return m.insert(idHash(value), identity.get().name(), tokenHash, LIFETIME.toNanos() / 1000);
        });
        ctx.cookie(cookie(ctx, value, (int) LIFETIME.toSeconds()));
        return Optional.of(new Session(identity.get(), csrfToken(value), Instant.now().plus(LIFETIME)));
    }

    /** Ends the request's session, if any, and clears its cookie. */
    public void logout(Context ctx) {
        String value = ctx.cookie(COOKIE);
        if (value != null && COOKIE_VALUE.matcher(value).matches()) {
            database.inTransaction(SessionMapper.class, m -> m.delete(idHash(value)));
        }
        ctx.cookie(cookie(ctx, "", 0));
    }

    /** The live session the request's cookie names, if any. */
    public Optional<Session> current(Context ctx) {
        String value = ctx.cookie(COOKIE);
        if (value == null || !COOKIE_VALUE.matcher(value).matches()) {
            return Optional.empty();
        }
        SessionMapper.Row row = database.inTransaction(SessionMapper.class, m -> m.findLive(idHash(value)));
        if (row == null) {
            return Optional.empty();
        }
        // the token it was opened with must still be configured, under the same name: a removed or rotated token ends it
        return tokens.identityOfHash(row.tokenHash()).filter(identity -> identity.name().equals(row.tokenName()))
                .map(identity -> new Session(identity, csrfToken(value), row.expiresAt()));
    }

    /** True when the request carries {@code session}'s CSRF token in the header or the form field. */
    public boolean carriesCsrfToken(Context ctx, Session session) {
        String presented = ctx.header(CSRF_HEADER);
        String contentType = ctx.contentType();
        if (presented == null && contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            presented = ctx.formParam(CSRF_FIELD);
        }
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII),
                session.csrfToken().getBytes(StandardCharsets.US_ASCII));
    }

    private static Cookie cookie(Context ctx, String value, int maxAge) {
        return new Cookie(COOKIE, value, "/", maxAge, isHttps(ctx), true, null, SameSite.STRICT);
    }

    /**
     * True when the browser reached the server over HTTPS, here or at a proxy that says so ({@code X-Forwarded-Proto}):
     * only then may a cookie be marked Secure (over plain HTTP the browser would drop it).
     */
    public static boolean isHttps(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static String idHash(String value) {
        return ApiTokens.hash(value).substring("sha256:".length());
    }

    private static String csrfToken(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(value.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal("codedeploy-csrf".getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
