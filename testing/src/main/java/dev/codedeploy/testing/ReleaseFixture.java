package dev.codedeploy.testing;

import bt.torrent.maker.TorrentBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.codedeploy.blob.BlobInfo;
import dev.codedeploy.blob.BlobStore;
import dev.codedeploy.blob.BuildKeys;
import dev.codedeploy.blob.FileDigest;
import dev.codedeploy.build.BuildManifest;
import dev.codedeploy.build.PieceSize;
import dev.codedeploy.release.Release;
import dev.codedeploy.release.ReleaseKeys;
import dev.codedeploy.release.SignedRelease;
import dev.codedeploy.release.ZkLayout;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Builds as a builder stores them, for tests and the sandbox until a real build is wanted: an artifact (a tar of a
 * small app, or any file) and its torrent made with bt's {@link TorrentBuilder} (4 MiB pieces, no announce, not
 * private) and its manifest, uploaded to a regional blob store under {@code builds/<sha>/<job>/1/}, and signed release records
 * written straight into a (regional) ZooKeeper, as the control plane would.
 *
 * <p>The app of {@link #appTar}: {@code bin/app --health} prints the version and exits with the code chosen at build
 * time; {@code VERSION} holds the version; {@code filler.bin} makes it as large as asked.
 */
public final class ReleaseFixture {

    /**
     * The piece size of a fixture artifact of {@code size} bytes: a builder's ({@link PieceSize#of}), unless the system
     * property {@code codedeploy.fixture.pieceSize} (bytes) sets one, for benchmarks that compare piece sizes.
     */
    public static int pieceSize(long size) {
        return Integer.getInteger("codedeploy.fixture.pieceSize", PieceSize.of(size));
    }

    /** The deploy section of {@link #appTar}: its health check, no retries. */
    public static final String APP_DEPLOY = """
            healthCheck:
              command: [bin/app, --health]
              timeout: 10s
              retries: 0
            """;

    /**
     * A stored build.
     *
     * @param buildId  the job id
     * @param sha      a commit id made from the build id
     * @param keys     its keys in the blob store
     * @param size     artifact bytes
     * @param sha256   artifact sha256
     * @param format   FILE or TAR
     * @param fileName the output's name
     * @param deploy   the deploy section, or null
     * @param artifact the local artifact file
     */
    public record Build(long buildId, String sha, BuildKeys keys, long size, String sha256, String format, String fileName,
                        JsonNode deploy, Path artifact) {
    }

    private final BlobStore store;
    private final KeyPair keys;
    private final String environment;
    private final Path workDir;

    /** Stores builds in {@code store} (a regional bucket), signs with {@code keys}, works in {@code workDir}. */
    public ReleaseFixture(BlobStore store, KeyPair keys, String environment, Path workDir) {
        this.store = store;
        this.keys = keys;
        this.environment = ZkLayout.checkEnvironment(environment);
        this.workDir = workDir;
    }

    /** The key pair that signs the releases. */
    public KeyPair keys() {
        return keys;
    }

    /** The public key as agents configure it. */
    public String publicKeyText() {
        return ReleaseKeys.encode(keys.getPublic());
    }

    /** Reads a {@code deploy:} section written as YAML. */
    public static JsonNode deploy(String yaml) {
        try {
            return new YAMLMapper().readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
        }
    }

    /**
     * Stores a tar of the sample app answering its health check with {@code healthExit}, with {@code fillerBytes}
     * of pseudo-random filler, and {@link #APP_DEPLOY} as its deploy section unless {@code deploy} is given.
     */
    public Build appTar(long buildId, String version, int healthExit, long fillerBytes, JsonNode deploy) {
        Path folder = workDir.resolve("build-" + buildId);
        try {
            Files.createDirectories(folder);
            Path tar = folder.resolve("artifact");
            String app = "#!/bin/sh\n"
                    + "if [ \"${1:-}\" = \"--health\" ]; then cat \"$(dirname \"$0\")/../VERSION\"; exit " + healthExit + "; fi\n"
                    + "echo \"sample app $(cat \"$(dirname \"$0\")/../VERSION\")\"\n";
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 16);
                 TarArchiveOutputStream archive = new TarArchiveOutputStream(out)) {
                archive.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                archive.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                folder(archive, "bin/");
                file(archive, "bin/app", app.getBytes(StandardCharsets.UTF_8), 0100755);
                file(archive, "VERSION", (version + "\n").getBytes(StandardCharsets.UTF_8), 0100644);
                filler(archive, fillerBytes, buildId);
                archive.finish();
            }
            return upload(buildId, tar, "TAR", "dist", deploy == null ? deploy(APP_DEPLOY) : deploy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void folder(TarArchiveOutputStream archive, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(040755);
        archive.putArchiveEntry(entry);
        archive.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream archive, String name, byte[] bytes, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(mode);
        archive.putArchiveEntry(entry);
        archive.write(bytes);
        archive.closeArchiveEntry();
    }

    private static void filler(TarArchiveOutputStream archive, long size, long seed) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry("filler.bin");
        entry.setSize(size);
        entry.setMode(0100644);
        archive.putArchiveEntry(entry);
        Random random = new Random(seed);
        byte[] buffer = new byte[1 << 16];
        for (long written = 0; written < size; written += buffer.length) {
            random.nextBytes(buffer);
            archive.write(buffer, 0, (int) Math.min(buffer.length, size - written));
        }
        archive.closeArchiveEntry();
    }

    /** Stores {@code artifact} with its torrent and manifest as build {@code buildId}. */
    public Build upload(long buildId, Path artifact, String format, String fileName, JsonNode deploy) {
        String sha = String.format("%040x", buildId);
        BuildKeys buildKeys = BuildKeys.of(sha, buildId, 1);
        try {
            String sha256;
            try (InputStream in = Files.newInputStream(artifact)) {
                sha256 = FileDigest.sha256(in);
            }
            long size = Files.size(artifact);
            store.put(buildKeys.artifact(), artifact, Map.of(BlobInfo.SHA256, sha256));
            store.putBytes(buildKeys.torrent(), torrent(artifact), "application/x-bittorrent", Map.of());
            BuildManifest manifest = new BuildManifest(BuildManifest.VERSION, sha, buildId, 1, "file:///sample", size, sha256, pieceSize(size),
                    format, fileName, Instant.now(), buildKeys.artifact(), buildKeys.torrent(), buildKeys.log(), deploy);
            store.putBytes(buildKeys.manifest(), manifest.toJson(), "application/json", Map.of(BlobInfo.SHA256, sha256));
            return new Build(buildId, sha, buildKeys, size, sha256, format, fileName, deploy, artifact);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path artifact) {
        try {
            return Files.size(artifact);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The torrent of {@code artifact} exactly as a builder makes it. */
    public static byte[] torrent(Path artifact) {
        return new TorrentBuilder().addFile(artifact).rootPath(artifact.getParent()).pieceSize(pieceSize(size(artifact)))
                .numHashingThreads(Math.max(1, Runtime.getRuntime().availableProcessors())).createdBy("codedeploy").build();
    }

    /** A release of {@code build} at {@code version} with the default waves, {@code openWave} open. */
    public Release release(Build build, long version, int openWave, Long previousBuildId) {
        return new Release(Release.FORMAT, environment, version, build.buildId(), build.sha(), "file:///sample",
                build.keys().artifact(), build.keys().torrent(), build.keys().manifest(), build.size(), build.sha256(), pieceSize(build.size()),
                build.format(), build.fileName(), build.deploy(), null, openWave, false, false, previousBuildId, "fixture",
                Instant.now());
    }

    /**
     * Signs {@code release} and writes it to its node in {@code zk}, creating the node when missing, and prepares
     * {@code hosts} for the agents as region sync does (with the client's ACL).
     */
    public void publish(CuratorFramework zk, Release release) {
        publish(zk, release.environment(), release, Instant.now());
    }

    /**
     * Signs {@code release} as of {@code signedAt} and writes it into the node of {@code nodeEnvironment}, which may be
     * another environment than the record's: what a writer of the regional ZooKeeper could replay or misplace.
     */
    public void publish(CuratorFramework zk, String nodeEnvironment, Release release, Instant signedAt) {
        byte[] bytes = SignedRelease.sign(release, keys.getPrivate(), "fixture", signedAt).toBytes();
        String path = ZkLayout.release(nodeEnvironment);
        try {
            try {
                zk.create().creatingParentsIfNeeded().forPath(ZkLayout.hosts(nodeEnvironment));
            } catch (KeeperException.NodeExistsException ready) {
                // prepared before
            }
            try {
                zk.setData().forPath(path, bytes);
            } catch (KeeperException.NoNodeException e) {
                zk.create().creatingParentsIfNeeded().forPath(path, bytes);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish release version " + release.version() + " to " + path + ": " + e.getMessage(), e);
        }
    }

    /** A hex sha256 that is not {@code sha256}, for records that must not match. */
    public static String otherSha256(String sha256) {
        byte[] bytes = HexFormat.of().parseHex(sha256);
        bytes[0] ^= 1;
        return HexFormat.of().formatHex(bytes);
    }
}
