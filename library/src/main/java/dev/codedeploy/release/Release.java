package dev.codedeploy.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codedeploy.InvalidInputException;
import java.time.Instant;
import java.util.List;

/**
 * The release record of one environment: which build its hosts should run and how far the rollout may go. The
 * control plane writes it (signed, see {@link SignedRelease}) to {@link ZkLayout#release(String)} in the master
 * ZooKeeper; region sync copies it to every regional ZooKeeper; host agents act on it.
 *
 * <p>Every change (publish, wave opened, pause, resume, rollback) writes a new record with a higher
 * {@code version}; a region never takes a lower version than it has.
 *
 * @param format         record format, {@value #FORMAT}
 * @param environment    the environment, for example {@code production}
 * @param version        increases with every change of the record
 * @param buildId        the job id of the build to run
 * @param sha            its commit
 * @param repoUrl        its repository
 * @param artifactKey    blob key of the artifact (the same in every regional store)
 * @param torrentKey     blob key of its .torrent
 * @param manifestKey    blob key of its manifest
 * @param size           artifact bytes
 * @param sha256         artifact sha256, hex: an agent installs nothing else
 * @param pieceSize      BitTorrent piece size
 * @param artifactFormat {@code FILE} (installed as {@code fileName}) or {@code TAR} (unpacked)
 * @param fileName       the build output's name
 * @param deploy         the {@code deploy:} section of the repository's {@code .codedeploy.yml} (hooks, health check),
 *                       or null
 * @param waves          cumulative host percentages of the waves, ascending, ending at 100 (default 1, 10, 50, 100)
 * @param openWave       index in {@code waves} of the last open wave; -1 while hosts may only download
 * @param paused         the rollout is paused: no further wave opens
 * @param rollback       this record rolls the environment back (to {@code buildId})
 * @param previousBuildId the build the environment ran before, the target of an automatic rollback, or null
 * @param publishedBy    who asked
 * @param publishedAt    when the control plane wrote this version
 * @param deployId       the deploy (of the {@code deploys} table) that published this build, or null; a conductor that
 *                       takes a deploy over finds its publication by it and never publishes twice
 */
public record Release(int format, String environment, long version, long buildId, String sha, String repoUrl,
                      String artifactKey, String torrentKey, String manifestKey, long size, String sha256, int pieceSize,
                      String artifactFormat, String fileName, JsonNode deploy, List<Integer> waves, int openWave,
                      boolean paused, boolean rollback, Long previousBuildId, String publishedBy, Instant publishedAt,
                      Long deployId) {

    /** The current record format. */
    public static final int FORMAT = 1;

    /** The default waves: 1 %, 10 %, 50 %, 100 % of the hosts. */
    public static final List<Integer> DEFAULT_WAVES = List.of(1, 10, 50, 100);

    public Release {
        waves = waves == null ? DEFAULT_WAVES : List.copyOf(waves);
    }

    /** A record published by no deploy (a rollback, a tool, a test). */
    public Release(int format, String environment, long version, long buildId, String sha, String repoUrl, String artifactKey,
                   String torrentKey, String manifestKey, long size, String sha256, int pieceSize, String artifactFormat, String fileName,
                   JsonNode deploy, List<Integer> waves, int openWave, boolean paused, boolean rollback, Long previousBuildId,
                   String publishedBy, Instant publishedAt) {
        this(format, environment, version, buildId, sha, repoUrl, artifactKey, torrentKey, manifestKey, size, sha256, pieceSize,
                artifactFormat, fileName, deploy, waves, openWave, paused, rollback, previousBuildId, publishedBy, publishedAt, null);
    }

    /**
     * Checks the fields an agent relies on.
     *
     * @throws InvalidInputException naming the bad field
     */
    public Release validate() {
        if (format != FORMAT) {
            throw new InvalidInputException("release format " + format + " is not supported (this codedeploy reads " + FORMAT + ")");
        }
        ZkLayout.checkEnvironment(environment);
        if (version < 1 || buildId < 1) {
            throw new InvalidInputException("release of " + environment + " has version " + version + " and build " + buildId + ": both must be positive");
        }
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}") || size < 0) {
            throw new InvalidInputException("release of " + environment + " has no valid sha256 and size");
        }
        if (artifactKey == null || torrentKey == null || artifactKey.contains("..") || torrentKey.contains("..")) {
            throw new InvalidInputException("release of " + environment + " has no valid artifact and torrent keys");
        }
        if (!"FILE".equals(artifactFormat) && !"TAR".equals(artifactFormat)) {
            throw new InvalidInputException("release of " + environment + " has artifactFormat '" + artifactFormat + "': FILE or TAR");
        }
        if (fileName == null || fileName.isBlank() || fileName.contains("/") || fileName.equals("..") || fileName.equals(".")) {
            throw new InvalidInputException("release of " + environment + " has an unusable fileName '" + fileName + "'");
        }
        Waves.check(waves);
        if (openWave < -1 || openWave >= waves.size()) {
            throw new InvalidInputException("release of " + environment + " opens wave " + openWave + " of " + waves.size());
        }
        return this;
    }

    /** The percentage of hosts allowed to switch now: 0 before the first wave opens. */
    public int openPercent() {
        return openWave < 0 ? 0 : waves.get(openWave);
    }

    /** True when the host {@code hostId} may switch to this release now (its wave is open). */
    public boolean mayActivate(String hostId) {
        return Waves.percentileOf(hostId) < openPercent();
    }
}
