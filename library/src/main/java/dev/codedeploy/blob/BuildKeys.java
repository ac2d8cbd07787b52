package dev.codedeploy.blob;

/**
 * Where one attempt of a build lives in every blob store: {@code builds/<sha>/<job-id>/<attempt>/}, holding
 * {@code artifact}, {@code artifact.torrent}, {@code manifest.json} and {@code build.log}.
 *
 * <p>The attempt is part of the prefix so that a stale worker (frozen past its lease, then resumed) can never
 * overwrite the objects of the attempt that replaced it; the job row records which attempt completed.
 *
 * @param prefix the folder, ending with {@code /}
 */
public record BuildKeys(String prefix) {

    /** The top folder of every build. */
    public static final String ROOT = "builds/";

    /** The keys of attempt {@code attempt} of job {@code jobId} building {@code sha}. */
    public static BuildKeys of(String sha, long jobId, int attempt) {
        return new BuildKeys(ROOT + sha + "/" + jobId + "/" + attempt + "/");
    }

    /** The keys in the folder of {@code artifactKey}. */
    public static BuildKeys ofArtifactKey(String artifactKey) {
        if (artifactKey == null || !artifactKey.endsWith("/artifact")) {
            throw new IllegalArgumentException("'" + artifactKey + "' is not an artifact key (builds/<sha>/<job>/<attempt>/artifact)");
        }
        return new BuildKeys(artifactKey.substring(0, artifactKey.length() - "artifact".length()));
    }

    /** The binary: a file, or a tar of the build output. */
    public String artifact() {
        return prefix + "artifact";
    }

    /** The BitTorrent metainfo of the artifact. */
    public String torrent() {
        return prefix + "artifact.torrent";
    }

    /** The manifest: sha, job, size, sha256, piece size, format, deploy spec. */
    public String manifest() {
        return prefix + "manifest.json";
    }

    /** The build's output. */
    public String log() {
        return prefix + "build.log";
    }
}
