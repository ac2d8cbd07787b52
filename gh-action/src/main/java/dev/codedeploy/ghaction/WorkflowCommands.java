package dev.codedeploy.ghaction;

import java.io.PrintStream;

/**
 * GitHub Actions workflow commands on standard output: {@code ::group::}, {@code ::endgroup::}, {@code ::error::},
 * {@code ::warning::}, {@code ::notice::}, escaped as the runner expects ('%', CR and LF in the message; also ':' and
 * ',' in properties).
 */
final class WorkflowCommands {

    private final PrintStream out;
    private boolean inGroup;

    WorkflowCommands(PrintStream out) {
        this.out = out;
    }

    /** Starts a collapsible group of log lines, closing the open one. */
    void group(String title) {
        endGroup();
        out.println("::group::" + escapeData(title));
        inGroup = true;
    }

    /** Closes the open group, if any. */
    void endGroup() {
        if (inGroup) {
            out.println("::endgroup::");
            inGroup = false;
        }
    }

    /** An error annotation: shown on the run's summary page. */
    void error(String title, String message) {
        out.println("::error title=" + escapeProperty(title) + "::" + escapeData(message));
    }

    /** A warning annotation. */
    void warning(String message) {
        out.println("::warning::" + escapeData(message));
    }

    /** A notice annotation. */
    void notice(String message) {
        out.println("::notice::" + escapeData(message));
    }

    /** A plain log line. */
    void line(String message) {
        out.println(message);
    }

    static String escapeData(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    static String escapeProperty(String s) {
        return escapeData(s).replace(":", "%3A").replace(",", "%2C");
    }
}
