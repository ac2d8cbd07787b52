package dev.codedeploy.queue;

/**
 * What a completed build stored in the master blob store, recorded on its job.
 *
 * @param artifactKey    key of the artifact
 * @param size           size in bytes, as read back from the store
 * @param sha256         sha256 of the artifact, hex
 * @param torrentKey     key of the .torrent
 * @param manifestKey    key of the manifest
 * @param logKey         key of the build log
 * @param manifestSha256 sha256 of the manifest's bytes as uploaded, hex: the publisher refuses a manifest that differs
 * @param deployDigest   sha256 of the manifest's deploy spec (see {@code BuildManifest#deployDigest()}), hex
 */
public record StoredArtifact(String artifactKey, long size, String sha256, String torrentKey, String manifestKey, String logKey,
                             String manifestSha256, String deployDigest) {

    /** A stored build whose manifest digests are not recorded (as jobs completed before they were). */
    public StoredArtifact(String artifactKey, long size, String sha256, String torrentKey, String manifestKey, String logKey) {
        this(artifactKey, size, sha256, torrentKey, manifestKey, logKey, null, null);
    }
}
