package dev.codedeploy.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codedeploy.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/**
 * What lies in a {@code release} node: the release as exact JSON text, when the control plane signed it, and an
 * Ed25519 signature over both made by the control plane. Signing the text as written (rather than re-serialising)
 * leaves nothing to canonicalise: a verifier checks the bytes, then parses them.
 *
 * <pre>{"payload": "{\"format\":1,...}", "signature": "base64", "keyId": "control-2026", "signedAt": "2026-12-03T08:00:00Z"}</pre>
 *
 * <p>The signed bytes are {@code "codedeploy-release-2\n" + signedAt + "\n" + payload}, so {@code signedAt} cannot be
 * changed or removed without breaking the signature. The control plane signs the current record again every
 * {@code rollout.refreshInterval} (same payload, new {@code signedAt}): a host that has no state of its own takes only a
 * record signed recently, so that an old record replayed into its ZooKeeper cannot roll it back. Records written before
 * {@code signedAt} existed (signature over the payload alone) still verify, with no {@code signedAt}.
 *
 * @param payload   the release JSON, which names its environment
 * @param signature base64 Ed25519 signature
 * @param keyId     names the key, for rotation ({@link ReleaseKeyring})
 * @param signedAt  when the control plane signed it, or null for a record of the first format
 */
public record SignedRelease(String payload, String signature, String keyId, Instant signedAt) {

    private static final String DOMAIN = "codedeploy-release-2\n";

    /** An envelope of the first format (no {@code signedAt}). */
    public SignedRelease(String payload, String signature, String keyId) {
        this(payload, signature, keyId, null);
    }

    /** Signs {@code release} with the control plane's private key, now. */
    public static SignedRelease sign(Release release, PrivateKey key, String keyId) {
        return sign(release, key, keyId, Instant.now());
    }

    /** Signs {@code release} with the control plane's private key as of {@code signedAt}. */
    public static SignedRelease sign(Release release, PrivateKey key, String keyId, Instant signedAt) {
        return signPayload(new String(Json.write(release.validate()), StandardCharsets.UTF_8), key, keyId, signedAt);
    }

    /** The same payload signed again as of {@code signedAt}: the refresh of a record that did not change. */
    public SignedRelease resign(PrivateKey key, String newKeyId, Instant newSignedAt) {
        return signPayload(payload, key, newKeyId, newSignedAt);
    }

    private static SignedRelease signPayload(String payload, PrivateKey key, String keyId, Instant signedAt) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(signedBytes(payload, signedAt));
            return new SignedRelease(payload, Base64.getEncoder().encodeToString(signer.sign()), keyId, signedAt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the release with key " + keyId + ": " + e.getMessage(), e);
        }
    }

    private static byte[] signedBytes(String payload, Instant signedAt) {
        String text = signedAt == null ? payload : DOMAIN + signedAt + "\n" + payload;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The node's bytes. */
    public byte[] toBytes() {
        return Json.write(this);
    }

    /**
     * Parses a node's bytes, checks the signature with {@code key}, and returns the validated release.
     *
     * @throws InvalidReleaseException when the bytes are malformed, unsigned, wrongly signed or the release invalid
     */
    public static Release verify(byte[] nodeData, PublicKey key, String where) {
        return open(nodeData, ReleaseKeyring.anyId(key), where).release();
    }

    /**
     * Parses a node's bytes, checks the signature with the key of its key id, and returns the validated release.
     *
     * @throws InvalidReleaseException when the bytes are malformed, unsigned, signed with a key id the keyring does not
     *                                 hold or wrongly signed, or the release is invalid
     */
    public static Release verify(byte[] nodeData, ReleaseKeyring keys, String where) {
        return open(nodeData, keys, where).release();
    }

    /**
     * As {@link #verify(byte[], ReleaseKeyring, String)}, and checks that the record belongs to {@code environment}:
     * a signed record of another environment written into this one's node is refused.
     */
    public static Opened open(byte[] nodeData, ReleaseKeyring keys, String environment, String where) {
        Opened opened = open(nodeData, keys, where);
        if (!opened.release().environment().equals(environment)) {
            throw new InvalidReleaseException(where + " holds a record of environment '" + opened.release().environment()
                    + "', not of '" + environment + "': refused (a record signed for one environment is never taken by another)");
        }
        return opened;
    }

    /** As {@link #verify(byte[], ReleaseKeyring, String)}, with the envelope. */
    public static Opened open(byte[] nodeData, ReleaseKeyring keys, String where) {
        if (nodeData == null || nodeData.length == 0) {
            throw new InvalidReleaseException(where + " is empty");
        }
        SignedRelease envelope;
        try {
            envelope = Json.read(nodeData, SignedRelease.class, where);
        } catch (RuntimeException e) {
            throw new InvalidReleaseException(e.getMessage());
        }
        if (envelope.payload() == null || envelope.signature() == null || envelope.signature().isBlank()) {
            throw new InvalidReleaseException(where + " is not signed");
        }
        PublicKey key = keys.keyFor(envelope.keyId(), where);
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(signedBytes(envelope.payload(), envelope.signedAt()));
            if (!verifier.verify(Base64.getDecoder().decode(envelope.signature()))) {
                throw new InvalidReleaseException(where + " has a signature that does not match its content (key " + envelope.keyId() + ")");
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new InvalidReleaseException(where + " has a malformed signature: " + e.getMessage());
        }
        try {
            Release release = Json.read(envelope.payload().getBytes(StandardCharsets.UTF_8), Release.class, where + " payload").validate();
            return new Opened(release, envelope, nodeData);
        } catch (RuntimeException e) {
            throw new InvalidReleaseException(e.getMessage());
        }
    }

    /**
     * A verified record.
     *
     * @param release   the release
     * @param envelope  the signed envelope it came in (its {@code signedAt}, its key id)
     * @param nodeBytes the node's bytes
     */
    public record Opened(Release release, SignedRelease envelope, byte[] nodeBytes) {

        /** When it was signed, or null for a record of the first format. */
        public Instant signedAt() {
            return envelope.signedAt();
        }
    }

    /** The payload as a tree, without checking anything (for tools that show a record). */
    public JsonNode payloadTree() {
        try {
            return Json.MAPPER.readTree(payload);
        } catch (java.io.IOException e) {
            throw new InvalidReleaseException("release payload is not JSON: " + e.getMessage());
        }
    }
}
