package dev.codedeploy.jenkins;

import dev.codedeploy.DeployEvent;
import dev.codedeploy.DeployListener;
import java.io.PrintStream;

/** Writes the step's progress to the build log, one line per event: {@code [codeDeploy] BUILDING 40% message}. */
final class StepLog implements DeployListener {

    static final String PREFIX = "[codeDeploy] ";

    private final PrintStream out;

    StepLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onEvent(DeployEvent event) {
        String progress = event.fraction() == null || event.stage().isFinal() ? ""
                : " " + Math.round(event.fraction() * 100) + "%";
        out.println(PREFIX + event.stage() + progress + " " + event.message());
    }

    /** Writes a line of the step's own. */
    void line(String message) {
        out.println(PREFIX + message);
    }
}
