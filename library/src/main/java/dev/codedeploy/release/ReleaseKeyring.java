package dev.codedeploy.release;

import dev.codedeploy.config.ConfigException;
import java.security.PublicKey;
import java.util.Map;
import java.util.TreeMap;

/**
 * The public keys a verifier accepts release records from, by key id, so that keys can be rotated: verifiers get the
 * new key first (both ids accepted), then the control plane signs with it, then the old id is removed. A record names
 * its key id; an id the keyring does not hold is refused.
 *
 * <p>A keyring made from one key without an id ({@link #anyId(PublicKey)}, the agent's {@code releasePublicKey})
 * verifies records of any key id with that key: it cannot tell a retired id from the current one, so rotation needs
 * keys by id.
 */
public final class ReleaseKeyring {

    private final Map<String, PublicKey> byId;
    private final PublicKey anyId;

    private ReleaseKeyring(Map<String, PublicKey> byId, PublicKey anyId) {
        this.byId = Map.copyOf(byId);
        this.anyId = anyId;
    }

    /** Keys by id. */
    public static ReleaseKeyring of(Map<String, PublicKey> byId) {
        if (byId.isEmpty()) {
            throw new ConfigException("a release keyring needs at least one key");
        }
        return new ReleaseKeyring(byId, null);
    }

    /** One key that verifies records of any key id. */
    public static ReleaseKeyring anyId(PublicKey key) {
        return new ReleaseKeyring(Map.of(), key);
    }

    /**
     * Reads a configuration's keys: {@code single} (base64, any id) or {@code byId} (id to base64), exactly one of them.
     *
     * @param fields names the two fields in errors, for example "releasePublicKey or releasePublicKeys"
     * @throws ConfigException when neither or both are given, or a key does not parse
     */
    public static ReleaseKeyring parse(String single, Map<String, String> byId, String fields) {
        boolean hasMap = byId != null && !byId.isEmpty();
        boolean hasSingle = single != null && !single.isBlank();
        if (hasMap == hasSingle) {
            throw new ConfigException(fields + ": give exactly one of them (keys by id let you rotate)");
        }
        if (hasSingle) {
            return anyId(parseKey(single, fields));
        }
        Map<String, PublicKey> keys = new TreeMap<>();
        byId.forEach((id, text) -> keys.put(checkId(id), parseKey(text, fields + " '" + id + "'")));
        return of(keys);
    }

    /** The same keyring with {@code key} under {@code keyId} added (or replacing what that id held). */
    public ReleaseKeyring with(String keyId, PublicKey key) {
        Map<String, PublicKey> keys = new TreeMap<>(byId);
        keys.put(checkId(keyId), key);
        return new ReleaseKeyring(keys, anyId);
    }

    /**
     * The key that verifies a record signed with {@code keyId}.
     *
     * @throws InvalidReleaseException naming the id and the ids held, when it is not held
     */
    public PublicKey keyFor(String keyId, String where) {
        if (anyId != null) {
            return anyId;
        }
        PublicKey key = keyId == null ? null : byId.get(keyId);
        if (key == null) {
            throw new InvalidReleaseException(where + " is signed with key id '" + keyId + "', which this verifier does not hold"
                    + " (it holds " + byId.keySet() + "): a retired or unknown key");
        }
        return key;
    }

    /** The key held under {@code keyId}, or null (the single key of {@link #anyId} for any id). */
    public PublicKey find(String keyId) {
        return anyId != null ? anyId : byId.get(keyId);
    }

    private static String checkId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException("release key id '" + id + "' is not valid: 1 to 64 of letters, digits, '.', '_' and '-'");
        }
        return id;
    }

    private static PublicKey parseKey(String text, String field) {
        try {
            return ReleaseKeys.publicKey(text);
        } catch (RuntimeException e) {
            throw new ConfigException(field + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return anyId != null ? "ReleaseKeyring[one key, any id]" : "ReleaseKeyring" + byId.keySet();
    }
}
