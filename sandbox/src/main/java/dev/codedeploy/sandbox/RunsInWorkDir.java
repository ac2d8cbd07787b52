package dev.codedeploy.sandbox;

import dev.codedeploy.testing.EmbeddedServers;
import dev.codedeploy.sandbox.scenario.ScenarioContext;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Gives a scenario, benchmark or demo a folder of its own and prints its RESULT line. */
public final class RunsInWorkDir {

    private RunsInWorkDir() {
    }

    /** Work that produces a result. */
    @FunctionalInterface
    public interface Work {
        /** Runs. */
        Result run(ScenarioContext context) throws Exception;
    }

    /**
     * Runs {@code work} in a new folder under {@code parent} (or the temporary folder), prints its RESULT line, and
     * returns the exit code: 0 when it passed.
     */
    public static int run(String name, Path parent, boolean keep, Map<String, String> options, PrintStream out, Work work) {
        Path dir;
        try {
            Path base = parent == null ? Path.of(System.getProperty("java.io.tmpdir")) : parent;
            Files.createDirectories(base);
            dir = Files.createTempDirectory(base, "codedeploy-" + name + "-");
        } catch (IOException e) {
            out.println("cannot create a work folder: " + e.getMessage());
            return 2;
        }
        Result result;
        try {
            result = work.run(new ScenarioContext(dir, out, new LinkedHashMap<>(options)));
        } catch (Exception e) {
            e.printStackTrace(out);
            out.println("RESULT " + name + " ok=false error=" + e.getClass().getSimpleName());
            return 1;
        } finally {
            if (!keep) {
                EmbeddedServers.delete(dir);
            } else {
                out.println("kept " + dir);
            }
        }
        out.println(result);
        out.flush();
        return result.passed() ? 0 : 1;
    }
}
