package dev.codedeploy.ghaction;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The adapter's entry point, {@code java -jar codedeploy-gh-action.jar}, run by {@code action.yml} with the inputs in
 * {@code INPUT_*} variables. Standard output and error are masked from the start. When the workflow is cancelled
 * the runner signals the process: following the deploy stops (the deploy is cancelled on the server when
 * {@code cancel-build-on-stop} asks for it) and the error status is posted before the JVM exits.
 */
public final class ActionMain {

    /** How long a cancelled run may take to cancel the deploy and post its last status, before the runner kills it. */
    private static final long STOP_GRACE_MILLIS = 5_000;

    private ActionMain() {
    }

    /** Runs the action; exits 0 when deployed, 1 when the deploy failed, 2 for a bad input. */
    public static void main(String[] args) {
        PrintStream rawOut = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream rawErr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        Secrets secrets = new Secrets(rawOut);
        PrintStream out = new PrintStream(new MaskingOutputStream(rawOut, secrets), true, StandardCharsets.UTF_8);
        System.setOut(out);
        System.setErr(new PrintStream(new MaskingOutputStream(rawErr, secrets), true, StandardCharsets.UTF_8));

        DeployAction action = new DeployAction(System.getenv(), secrets, new WorkflowCommands(out));
        Thread main = Thread.currentThread();
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean stopped = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finished.get()) {
                return;
            }
            stopped.set(true);
            action.cancelling();
            main.interrupt();
            try {
                main.join(STOP_GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "codedeploy-cancel"));

        int code;
        try {
            code = action.run();
        } catch (RuntimeException e) {
            // a bug or an unwritable GITHUB_OUTPUT: still an annotation, not only a stack trace
            new WorkflowCommands(out).error("codedeploy: internal error", e.getClass().getName() + ": " + e.getMessage());
            e.printStackTrace();
            code = DeployAction.FAILED;
        }
        finished.set(true);
        System.out.flush();
        System.err.flush();
        if (!stopped.get()) {
            // not while the JVM is shutting down: System.exit would wait for the hook, which waits for this thread
            System.exit(code);
        }
    }
}
