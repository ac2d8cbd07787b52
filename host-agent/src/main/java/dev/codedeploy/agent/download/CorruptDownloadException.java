package dev.codedeploy.agent.download;

/** A complete download whose sha256 is not the signed release's: it was discarded and is fetched again. */
public class CorruptDownloadException extends DownloadFailedException {

    /** Names the build and both checksums. */
    public CorruptDownloadException(String message) {
        super(message, null);
    }
}
