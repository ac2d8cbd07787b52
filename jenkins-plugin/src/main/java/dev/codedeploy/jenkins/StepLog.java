package dev.codedeploy.jenkins;

import dev.codedeploy.client.DeployEvent;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Writes the deploy's progress to the build log, one line per event of the server: {@code [codeDeploy] BUILDING 40%
 * message}, the stage while the deploy runs, its final state at the end.
 */
final class StepLog implements Consumer<DeployEvent> {

    static final String PREFIX = "[codeDeploy] ";

    private final PrintStream out;

    StepLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public void accept(DeployEvent event) {
        boolean running = event.stage() != null && !event.state().isFinal();
        String progress = running && event.fraction() != null ? " " + Math.round(event.fraction() * 100) + "%" : "";
        out.println(PREFIX + (running ? event.stage().name() : event.state().name()) + progress + " " + event.message());
    }

    /** Writes a line of the step's own. */
    void line(String message) {
        out.println(PREFIX + message);
    }
}
