package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import java.io.PrintStream;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/**
 * Stand-in of jenkins-core's {@code hudson.model.TaskListener}: where a build writes its log. (The real interface has
 * default helpers the plugin does not use.)
 */
public interface TaskListener extends SerializableOnlyOverRemoting {

    /** The build log. */
    @NonNull
    PrintStream getLogger();
}
