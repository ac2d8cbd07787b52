package dev.codedeploy.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.json.Json;
import java.time.Instant;

/**
 * {@code manifest.json}, stored beside every artifact: what was built, from where, and how to check it.
 *
 * @param version     format version, {@value #VERSION}
 * @param sha         the commit
 * @param jobId       the job (the build id)
 * @param attempt     the attempt that made it
 * @param repoUrl     the repository
 * @param size        artifact bytes
 * @param sha256      artifact sha256, hex
 * @param pieceSize   BitTorrent piece size
 * @param format      {@code FILE} (deployed as is) or {@code TAR} (unpacked)
 * @param fileName    the name of the build output (the file name for {@code FILE})
 * @param createdAt   when the artifact was stored
 * @param artifactKey key of the artifact
 * @param torrentKey  key of the .torrent
 * @param logKey      key of the build log
 * @param deploy      the {@code deploy:} section of {@code .codedeploy.yml}, or null
 */
public record BuildManifest(int version, String sha, long jobId, int attempt, String repoUrl, long size, String sha256,
                            int pieceSize, String format, String fileName, Instant createdAt, String artifactKey,
                            String torrentKey, String logKey, JsonNode deploy) {

    /** The current format version. */
    public static final int VERSION = 1;

    /** The most a manifest may weigh: its deploy spec comes from a {@code .codedeploy.yml} of at most 64 KiB. */
    public static final long MAX_BYTES = 1 << 20;

    private static final ObjectMapper CANONICAL = JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

    /** JSON bytes. */
    public byte[] toJson() {
        return Json.write(this);
    }

    /**
     * The sha256 (hex) of the deploy spec's canonical JSON (object fields sorted), recorded on the job when it completes:
     * what hosts will run, as the build stated it.
     */
    public String deployDigest() {
        try {
            return FileDigest.sha256(CANONICAL.writeValueAsBytes(deploy == null ? NullNode.getInstance() : deploy));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the deploy spec as JSON", e);
        }
    }

    /**
     * Reads and checks a manifest.
     *
     * @throws InvalidInputException when it is malformed or of an unknown version
     */
    public static BuildManifest fromJson(byte[] json, String where) {
        BuildManifest manifest = Json.read(json, BuildManifest.class, "manifest " + where);
        if (manifest.version() != VERSION) {
            throw new InvalidInputException("manifest " + where + " has version " + manifest.version() + "; this codedeploy reads version " + VERSION);
        }
        if (manifest.sha256() == null || !manifest.sha256().matches("[0-9a-f]{64}") || manifest.size() < 0) {
            throw new InvalidInputException("manifest " + where + " has no valid size and sha256");
        }
        return manifest;
    }
}
