package dev.codedeploy.cli;

import dev.codedeploy.client.CodeDeployClient;
import dev.codedeploy.client.Deploy;
import dev.codedeploy.client.FollowTimeoutException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * Follows a deploy for {@code deploy} and {@code follow}: a progress bar and stage lines while it runs, the result
 * table at the end, and the exit code. Ctrl-C stops following (the deploy goes on, on the server) unless the caller
 * asked to cancel it then.
 */
final class Following {

    /** Past the deploy's deadline, how long to wait for the server to record its end. */
    private static final Duration GRACE = Duration.ofMinutes(1);

    private Following() {
    }

    /**
     * @param cancelOnStop cancel the deploy when this process is stopped (Ctrl-C, SIGTERM)
     * @param actor        who cancels then, for the history
     */
    static int follow(CodeDeployClient client, Deploy deploy, long afterEventId, boolean cancelOnStop, PrintWriter out) {
        Thread main = Thread.currentThread();
        Thread onSignal = new Thread(() -> {
            main.interrupt();
            try {
                main.join(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "follow-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        Duration wait = Duration.between(Instant.now(), deploy.deadline()).plus(GRACE);
        try (StageBar bar = new StageBar(out)) {
            Deploy done = client.follow(deploy.id(), afterEventId, bar, wait.isNegative() ? GRACE : wait);
            bar.close();
            ResultTable.print(out, done);
            return ResultTable.exitCode(done);
        } catch (FollowTimeoutException e) {
            out.println("timed out: " + e.getMessage());
            if (e.lastKnown() != null) {
                ResultTable.print(out, e.lastKnown());
            }
            return CodeDeployCli.TIMED_OUT;
        } catch (InterruptedException e) {
            if (cancelOnStop) {
                client.cancel(deploy.id(), "the requester stopped following");
                out.println("stopped; deploy " + deploy.id() + " was cancelled");
            } else {
                out.println("stopped following; deploy " + deploy.id() + " goes on (codedeploy follow " + deploy.id()
                        + " attaches again, codedeploy cancel " + deploy.id() + " stops it)");
            }
            out.flush();
            return CodeDeployCli.CANCELLED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException exiting) {
                // the JVM is shutting down: the hook is running
            }
        }
    }
}
