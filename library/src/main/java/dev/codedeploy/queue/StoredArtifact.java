package dev.codedeploy.queue;

/**
 * What a completed build stored in the master blob store, recorded on its job.
 *
 * @param artifactKey key of the artifact
 * @param size        size in bytes, as read back from the store
 * @param sha256      sha256 of the artifact, hex
 * @param torrentKey  key of the .torrent
 * @param manifestKey key of the manifest
 * @param logKey      key of the build log
 */
public record StoredArtifact(String artifactKey, long size, String sha256, String torrentKey, String manifestKey, String logKey) {
}
