package dev.codedeploy.ghaction;

import dev.codedeploy.client.DeployEvent;
import dev.codedeploy.client.StageTiming;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Writes the deploy's progress, as the server's events tell it, to the job log: one collapsible group per stage
 * ({@code ::group::codedeploy: Building}) and one line per event, {@code [  12.3 s] BUILDING 40% message}; the final
 * line stands outside any group. Each event also moves the GitHub deployment status along.
 */
final class ProgressLog implements Consumer<DeployEvent> {

    private final WorkflowCommands log;
    private final DeploymentStatuses statuses;
    private final Instant start;
    private StageTiming.Stage stage;

    ProgressLog(WorkflowCommands log, DeploymentStatuses statuses, Instant start) {
        this.log = log;
        this.statuses = statuses;
        this.start = start;
    }

    @Override
    public void accept(DeployEvent event) {
        boolean running = !event.state().isFinal() && event.stage() != null;
        if (!running) {
            log.endGroup();
        } else if (event.stage() != stage) {
            log.group("codedeploy: " + JobSummary.stageName(event.stage()));
        }
        stage = running ? event.stage() : null;
        String progress = running && event.fraction() != null ? " " + Math.round(event.fraction() * 100) + "%" : "";
        Duration elapsed = Duration.between(start, event.at() == null ? Instant.now() : event.at());
        log.line(String.format(Locale.ROOT, "[%6.1f s] %s%s %s", Math.max(0, elapsed.toMillis()) / 1000.0,
                running ? event.stage() : event.state(), progress, event.message()));
        statuses.onEvent(event);
    }
}
