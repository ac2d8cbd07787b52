package dev.codedeploy.build;

import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.blob.BuildKeys;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.queue.StoredArtifact;
import java.nio.file.Path;
import java.util.Map;

/**
 * Uploads a build to the master blob store and reads it back: the artifact's size and ETag as the store computed
 * them must match the local file before the job may be COMPLETED. The manifest is written last, so a manifest in
 * the store means its artifact and torrent are there.
 */
final class ArtifactPublisher {

    private static final java.util.regex.Pattern MD5_ETAG = java.util.regex.Pattern.compile("[0-9a-fA-F]{32}(-\\d+)?");

    private final BlobStore store;

    ArtifactPublisher(BlobStore store) {
        this.store = store;
    }

    /** Uploads the artifact and checks what the store received. */
    BlobInfo uploadArtifact(BuildKeys keys, Path artifact, FileDigest digest) {
        BlobInfo stored = store.put(keys.artifact(), artifact, Map.of(BlobInfo.SHA256, digest.sha256()));
        verify(keys.artifact(), stored, digest);
        return stored;
    }

    /** Uploads torrent and then manifest, and returns what the job records. */
    StoredArtifact uploadMetadata(BuildKeys keys, byte[] torrent, BuildManifest manifest) {
        store.putBytes(keys.torrent(), torrent, "application/x-bittorrent", Map.of());
        byte[] manifestBytes = manifest.toJson();
        store.putBytes(keys.manifest(), manifestBytes, "application/json", Map.of(BlobInfo.SHA256, manifest.sha256()));
        BlobInfo readBack = store.head(keys.artifact()).orElseThrow(() ->
                new InfrastructureException("the artifact " + keys.artifact() + " vanished from blob store '" + store.name() + "'", null));
        if (readBack.size() != manifest.size() || !manifest.sha256().equals(readBack.sha256())) {
            throw new InfrastructureException("the artifact " + keys.artifact() + " changed in blob store '" + store.name()
                    + "' after upload: " + readBack.size() + " bytes, sha256 " + readBack.sha256(), null);
        }
        // the job records what the manifest was, so that a manifest changed in the store later is never published
        return new StoredArtifact(keys.artifact(), manifest.size(), manifest.sha256(), keys.torrent(), keys.manifest(), keys.log(),
                FileDigest.sha256(manifestBytes), manifest.deployDigest());
    }

    private void verify(String key, BlobInfo stored, FileDigest digest) {
        if (stored.size() != digest.size()) {
            throw new InfrastructureException("blob store '" + store.name() + "' holds " + stored.size() + " bytes for " + key
                    + " but " + digest.size() + " were uploaded", null);
        }
        // stores with KMS encryption report an ETag that is not an MD5; only an MD5-shaped one can be compared
        if (stored.etag() != null && MD5_ETAG.matcher(stored.etag()).matches() && !stored.etag().equalsIgnoreCase(digest.etag())) {
            throw new InfrastructureException("blob store '" + store.name() + "' computed checksum " + stored.etag() + " for " + key
                    + " but the uploaded bytes give " + digest.etag(), null);
        }
    }
}
