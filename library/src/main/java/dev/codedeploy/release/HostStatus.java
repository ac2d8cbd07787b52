package dev.codedeploy.release;

import dev.codedeploy.json.Json;
import java.time.Instant;

/**
 * What a host agent reports in its ephemeral node {@link ZkLayout#host(String, String)}.
 *
 * @param host           the host id
 * @param region         its region
 * @param currentBuildId the build its {@code current} link points at, or null
 * @param targetBuildId  the build of the release it is working on, or null
 * @param releaseVersion the version of that release record
 * @param state          where it is
 * @param progress       download progress, or null
 * @param error          the last error, or null
 * @param updatedAt      when the agent wrote this (its clock; for display only)
 */
public record HostStatus(String host, String region, Long currentBuildId, Long targetBuildId, long releaseVersion,
                         HostState state, Progress progress, String error, Instant updatedAt) {

    /**
     * Download progress.
     *
     * @param bytesDone   bytes verified so far
     * @param bytesTotal  artifact bytes
     * @param piecesDone  pieces verified
     * @param piecesTotal pieces in the torrent
     * @param peers       peers connected now
     */
    public record Progress(long bytesDone, long bytesTotal, int piecesDone, int piecesTotal, int peers) {
    }

    /** The node's bytes. */
    public byte[] toBytes() {
        return Json.write(this);
    }

    /** Reads a node's bytes. */
    public static HostStatus fromBytes(byte[] data, String where) {
        return Json.read(data, HostStatus.class, where);
    }
}
