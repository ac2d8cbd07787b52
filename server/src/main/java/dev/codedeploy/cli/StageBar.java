package dev.codedeploy.cli;

import dev.codedeploy.client.DeployEvent;
import java.io.PrintWriter;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a deploy's progress: one heading per stage (QUEUED, BUILDING, REPLICATING, PUBLISHING, ROLLING_OUT, then the
 * end) and one line per event on the output, and a progress bar (on the terminal) across the five stages, each worth
 * 100 steps.
 */
public final class StageBar implements Consumer<DeployEvent>, AutoCloseable {

    private static final int STAGES = 5;

    private final PrintWriter out;
    private ProgressBar bar;
    private String shown;

    /** A bar whose stage lines go to {@code out}; it appears with the first event, so a refused request shows none. */
    public StageBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void accept(DeployEvent event) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("deploy").setInitialMax(100L * STAGES).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).build();
        }
        String heading = event.stage() == null ? event.state().name() : event.stage().name();
        if (!heading.equals(shown)) {
            shown = heading;
            out.println();
            out.println("== " + heading);
        }
        out.println("   " + event.message());
        out.flush();
        long step = event.stage() == null ? bar.getMax()
                : 100L * event.stage().ordinal() + Math.round(100 * (event.fraction() == null ? 0 : event.fraction()));
        bar.stepTo(Math.min(bar.getMax(), step));
        bar.setExtraMessage(heading.toLowerCase());
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
