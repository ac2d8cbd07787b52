package hudson.util;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.Serializable;

/** Stand-in of jenkins-core's {@code hudson.util.Secret}: a secret value (Jenkins keeps it encrypted at rest). */
public final class Secret implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** The secret holding {@code data} ({@code null} is the empty secret). */
    @NonNull
    public static Secret fromString(@CheckForNull String data) {
        return new Secret(data == null ? "" : data);
    }

    /** The secret in clear. */
    @NonNull
    public String getPlainText() {
        return value;
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
