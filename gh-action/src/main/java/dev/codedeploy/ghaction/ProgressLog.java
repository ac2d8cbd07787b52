package dev.codedeploy.ghaction;

import dev.codedeploy.DeployEvent;
import dev.codedeploy.DeployListener;
import dev.codedeploy.DeployStage;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Writes the deploy's progress to the job log, one collapsible group per stage ({@code ::group::Building}) and one
 * line per event, {@code [  12.3 s] BUILDING 40% message}; the final line stands outside any group. Each event also
 * moves the GitHub deployment status along.
 */
final class ProgressLog implements DeployListener {

    private final WorkflowCommands log;
    private final DeploymentStatuses statuses;
    private final Instant start;
    private DeployStage stage;

    ProgressLog(WorkflowCommands log, DeploymentStatuses statuses, Instant start) {
        this.log = log;
        this.statuses = statuses;
        this.start = start;
    }

    @Override
    public void onEvent(DeployEvent event) {
        if (event.stage().isFinal()) {
            log.endGroup();
        } else if (event.stage() != stage) {
            log.group("codedeploy: " + JobSummary.stageName(event.stage()));
        }
        stage = event.stage();
        String progress = event.fraction() == null || event.stage().isFinal() ? "" : " " + Math.round(event.fraction() * 100) + "%";
        Duration elapsed = Duration.between(start, event.at() == null ? Instant.now() : event.at());
        log.line(String.format(Locale.ROOT, "[%6.1f s] %s%s %s", Math.max(0, elapsed.toMillis()) / 1000.0, event.stage(), progress, event.message()));
        statuses.onEvent(event);
    }
}
