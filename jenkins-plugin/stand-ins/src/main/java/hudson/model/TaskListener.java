package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.PrintStream;
import java.io.Serializable;

/**
 * Stand-in of jenkins-core's {@code hudson.model.TaskListener}: where a build writes its log. (The real interface
 * extends {@code SerializableOnlyOverRemoting}, itself {@link Serializable}, and has default helpers the plugin does
 * not use.)
 */
public interface TaskListener extends Serializable {

    /** The build log. */
    @NonNull
    PrintStream getLogger();
}
