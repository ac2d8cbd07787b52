package dev.codedeploy;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** Tracks the stages of one build or deploy: reports each change to the listener and times each stage. */
final class DeployProgress {

    private final DeployListener listener;
    private final Map<DeployStage, Duration> timings = new EnumMap<>(DeployStage.class);
    private DeployStage stage;
    private Instant stageStart = Instant.now();
    private String lastMessage;

    DeployProgress(DeployListener listener, DeployStage first) {
        this.listener = listener;
        this.stage = first;
    }

    /** Moves to {@code next}, timing the stage that ends. */
    void enter(DeployStage next, String message) {
        moveTo(next, Instant.now());
        report(message, next.isFinal() ? 1.0 : null);
    }

    /**
     * Moves to {@code next}, which began {@code ago} before now: a stage that ended between two polls (a build of a
     * fraction of a second) still gets its own time, taken from the part of the current stage it filled.
     */
    void enter(DeployStage next, String message, Duration ago) {
        Instant began = Instant.now().minus(ago);
        moveTo(next, began.isBefore(stageStart) ? stageStart : began);
        report(message, null);
    }

    /** Ends the current stage at {@code at} and starts {@code next} there; nothing when it is the same stage. */
    private void moveTo(DeployStage next, Instant at) {
        if (next != stage) {
            timings.merge(stage, Duration.between(stageStart, at), Duration::plus);
            stage = next;
            stageStart = at;
        }
    }

    /** Reports progress within the current stage; a message equal to the last one is not repeated. */
    void report(String message, Double fraction) {
        if (message.equals(lastMessage)) {
            return;
        }
        lastMessage = message;
        listener.onEvent(new DeployEvent(stage, message, fraction, Instant.now()));
    }

    DeployStage stage() {
        return stage;
    }

    /** The stages' durations so far, the current one included, in stage order. */
    Map<DeployStage, Duration> timings() {
        Map<DeployStage, Duration> copy = new EnumMap<>(timings);
        if (!stage.isFinal()) {
            copy.merge(stage, Duration.between(stageStart, Instant.now()), Duration::plus);
        }
        return java.util.Collections.unmodifiableMap(copy);
    }
}
