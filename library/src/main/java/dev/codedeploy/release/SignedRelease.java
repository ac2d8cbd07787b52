package dev.codedeploy.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codedeploy.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * What lies in a {@code release} node: the release as exact JSON text, and an Ed25519 signature over those bytes
 * made by the control plane. Signing the text as written (rather than re-serialising) leaves nothing to
 * canonicalise: a verifier checks the bytes, then parses them.
 *
 * <pre>{"payload": "{\"format\":1,...}", "signature": "base64", "keyId": "control-2026"}</pre>
 *
 * @param payload   the release JSON
 * @param signature base64 Ed25519 signature of the payload's UTF-8 bytes
 * @param keyId     names the key, for rotation
 */
public record SignedRelease(String payload, String signature, String keyId) {

    /** Signs {@code release} with the control plane's private key. */
    public static SignedRelease sign(Release release, PrivateKey key, String keyId) {
        String payload = new String(Json.write(release.validate()), StandardCharsets.UTF_8);
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(payload.getBytes(StandardCharsets.UTF_8));
            return new SignedRelease(payload, Base64.getEncoder().encodeToString(signer.sign()), keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the release with key " + keyId + ": " + e.getMessage(), e);
        }
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
        byte[] payload = envelope.payload().getBytes(StandardCharsets.UTF_8);
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(payload);
            if (!verifier.verify(Base64.getDecoder().decode(envelope.signature()))) {
                throw new InvalidReleaseException(where + " has a signature that does not match its content (key " + envelope.keyId() + ")");
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new InvalidReleaseException(where + " has a malformed signature: " + e.getMessage());
        }
        try {
            return Json.read(payload, Release.class, where + " payload").validate();
        } catch (RuntimeException e) {
            throw new InvalidReleaseException(e.getMessage());
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
