package dev.codedeploy.api;

import dev.codedeploy.client.Identity;
import dev.codedeploy.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's bearer tokens, kept as hashes: a presented token is hashed and looked up. Tokens are 32 random bytes,
 * so a plain SHA-256 is enough (there is no password to guess), and a stolen configuration reveals no token.
 */
public final class ApiTokens {

    /** What every token starts with, so that a leaked one is easy to recognise and scan for. */
    public static final String PREFIX = "cdt_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, ApiToken> byHash = new HashMap<>();

    /**
     * The tokens of the configuration.
     *
     * @throws ConfigException when two tokens share a name or a hash
     */
    public ApiTokens(List<ApiToken> tokens) {
        Map<String, ApiToken> names = new HashMap<>();
        for (ApiToken token : tokens) {
            if (names.put(token.name(), token) != null) {
                throw new ConfigException("api.tokens: the name '" + token.name() + "' is given twice");
            }
            if (byHash.put(token.hash(), token) != null) {
                throw new ConfigException("api.tokens: '" + token.name() + "' has the same hash as another token");
            }
        }
    }

    /** True when no token is configured. */
    public boolean isEmpty() {
        return byHash.isEmpty();
    }

    /** Who {@code presented} is, or empty when it is no configured token. */
    public Optional<Identity> authenticate(String presented) {
        if (presented == null || presented.isBlank()) {
            return Optional.empty();
        }
        String hash = hash(presented.strip());
        // the lookup is by hash: timing reveals nothing of a token, only of hashes nobody can invert
        ApiToken token = byHash.get(hash);
        if (token == null || !MessageDigest.isEqual(token.hash().getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(new Identity(token.name(), token.scopeValue()));
    }

    /** Who the configured token with hash {@code hash} ({@code sha256:<hex>}) is, or empty when none has it now. */
    public Optional<Identity> identityOfHash(String hash) {
        ApiToken token = hash == null ? null : byHash.get(hash);
        return token == null ? Optional.empty() : Optional.of(new Identity(token.name(), token.scopeValue()));
    }

    /** A new random token. */
    public static String generate() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The configuration's form of {@code token}'s hash: {@code sha256:<hex>}. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
