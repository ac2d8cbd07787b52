package dev.codedeploy.api;

import dev.codedeploy.client.Scope;
import dev.codedeploy.config.ConfigException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One token of {@code api.tokens}: its name, what it may do, and the hash of its secret (never the secret itself).
 * {@code codedeploy tokens create NAME --scope SCOPE} prints a new secret once and this entry.
 *
 * <pre>
 * - {name: release-bot, scope: deploy, hash: "sha256:6f1e...c2"}
 * </pre>
 *
 * @param name  who holds it: recorded as the requester of its deploys and in the audit rows
 * @param scope {@code read}, {@code deploy} or {@code admin}
 * @param hash  {@code sha256:} and the hex SHA-256 of the token
 */
public record ApiToken(String name, String scope, String hash) {

    /** A token's name: letters, digits and {@code . _ @ -}, 1 to 64 characters. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");

    public ApiToken {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ConfigException("api.tokens: name '" + name + "' must be 1 to 64 letters, digits or . _ @ -");
        }
        scopeOf(scope, "api.tokens." + name + ".scope");
        if (hash == null || !HASH.matcher(hash).matches()) {
            throw new ConfigException("api.tokens." + name + ".hash must be sha256: and 64 lowercase hex digits, as"
                    + " 'codedeploy tokens create' prints it (never the token itself)");
        }
    }

    /** The scope. */
    public Scope scopeValue() {
        return scopeOf(scope, "scope");
    }

    /**
     * Reads a scope as written in configuration or on the command line.
     *
     * @throws ConfigException naming {@code field} and the accepted values
     */
    public static Scope scopeOf(String text, String field) {
        if (text != null) {
            for (Scope s : Scope.values()) {
                if (s.name().equals(text.trim().toUpperCase(Locale.ROOT))) {
                    return s;
                }
            }
        }
        throw new ConfigException(field + " is '" + text + "': read, deploy or admin");
    }
}
