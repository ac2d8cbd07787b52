package dev.codedeploy.agent.p2p;

import bt.metainfo.MetadataService;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentFile;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.release.Release;
import java.util.List;

/**
 * Reads an {@code artifact.torrent} from the blob store and checks it against the signed release: one file named
 * {@code artifact}, of the release's size and piece size. (The torrent itself is not signed; the whole file's
 * sha256 is checked against the release after the download.)
 */
public final class TorrentFiles {

    /** The file name every build torrent holds. */
    public static final String ARTIFACT = "artifact";

    private TorrentFiles() {
    }

    /**
     * The most a torrent of {@code release} can weigh: 20 bytes of SHA-1 per piece of the signed size, and room for the
     * rest of its dictionary. Anything larger is not read (whoever can write the bucket could store gigabytes there).
     */
    public static long maxBytes(Release release) {
        long pieces = (release.size() + release.pieceSize() - 1) / Math.max(1, release.pieceSize());
        return pieces * 20 + (64 << 10);
    }

    /**
     * Parses and checks {@code bytes}.
     *
     * @param where names the torrent in errors, such as its blob key
     * @throws InvalidInputException when the bytes are not a torrent of the release's artifact
     */
    public static Torrent read(byte[] bytes, Release release, String where) {
        Torrent torrent;
        try {
            torrent = new MetadataService().fromByteArray(bytes);
        } catch (RuntimeException e) {
            throw new InvalidInputException("torrent " + where + " is not a valid .torrent: " + e.getMessage());
        }
        List<TorrentFile> files = torrent.getFiles();
        if (files.size() != 1 || !ARTIFACT.equals(torrent.getName())) {
            throw new InvalidInputException("torrent " + where + " holds " + files.size() + " file(s) named '" + torrent.getName()
                    + "': a build torrent holds exactly one file named '" + ARTIFACT + "'");
        }
        if (torrent.getSize() != release.size()) {
            throw new InvalidInputException("torrent " + where + " describes " + torrent.getSize() + " bytes but release version "
                    + release.version() + " says the artifact has " + release.size());
        }
        if (torrent.getChunkSize() != release.pieceSize()) {
            throw new InvalidInputException("torrent " + where + " has pieces of " + torrent.getChunkSize() + " bytes but the release says "
                    + release.pieceSize());
        }
        if (torrent.isPrivate()) {
            throw new InvalidInputException("torrent " + where + " is private: bt would not ask ZooKeeper for its peers");
        }
        return torrent;
    }
}
