package hudson;

import java.io.IOException;

/** Stand-in of jenkins-core's {@code hudson.AbortException}: a failure whose message says it all (no stack trace). */
public class AbortException extends IOException {

    private static final long serialVersionUID = 1L;

    public AbortException() {
    }

    /** A failure reported with {@code message}. */
    public AbortException(String message) {
        super(message);
    }
}
