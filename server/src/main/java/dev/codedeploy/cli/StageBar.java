package dev.codedeploy.cli;

import dev.codedeploy.DeployEvent;
import dev.codedeploy.DeployListener;
import dev.codedeploy.DeployStage;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a deploy's progress: one line per stage change on the output, and a progress bar (on the terminal) across
 * the five stages, each worth 100 steps.
 */
public final class StageBar implements DeployListener, AutoCloseable {

    private final PrintWriter out;
    private ProgressBar bar;
    private DeployStage shown;

    /** A bar whose stage lines go to {@code out}; it appears with the first event, so a refused request shows none. */
    public StageBar(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onEvent(DeployEvent event) {
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName("deploy").setInitialMax(100L * DeployCommand.stages().length)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).build();
        }
        if (event.stage() != shown) {
            shown = event.stage();
            out.println();
            out.println("== " + event.stage());
        }
        out.println("   " + event.message());
        out.flush();
        int index = event.stage().ordinal();
        long step = event.stage().isFinal() ? bar.getMax() : 100L * index + Math.round(100 * (event.fraction() == null ? 0 : event.fraction()));
        bar.stepTo(Math.min(bar.getMax(), step));
        bar.setExtraMessage(event.stage().name().toLowerCase());
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
