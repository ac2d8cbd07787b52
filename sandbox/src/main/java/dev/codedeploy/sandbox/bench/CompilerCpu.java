package dev.codedeploy.sandbox.bench;

import dev.codedeploy.sandbox.cluster.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.stream.Stream;

/**
 * The CPU time the JIT compiler threads of some processes have used, read from Linux's {@code /proc}: a benchmark that
 * means to time warm agents reports what their compilers still cost during the timed run, so a reader can tell a
 * figure measured on settled JVMs from one that paid for compilation. On a machine with fewer cores than agents the
 * compilers fall behind during a transfer (a C2 compile of bt's hot loop queued for 30 s was seen), so the benchmark
 * waits for their queues to drain, as a fleet's agents' do between deploys.
 */
final class CompilerCpu {

    /** Linux's USER_HZ, the unit of /proc's CPU times (100 on every mainstream architecture). */
    private static final double TICKS_PER_SECOND = 100.0;

    private CompilerCpu() {
    }

    /**
     * Waits until the compilers of {@code pids} use less than {@code quietShare} of a core over a second (their queues
     * drained), at most {@code patience}; returns the seconds waited.
     */
    static double awaitQuiet(Collection<Long> pids, double quietShare, Duration patience) throws Exception {
        long start = System.nanoTime();
        Window window = new Window(start, seconds(pids));
        // /proc is read once a second, not at every poll of the wait
        Wait.until(patience, () -> window.endedQuietly(pids, quietShare));
        return (System.nanoTime() - start) / 1e9;
    }

    /** A second of the compilers' CPU: when it began, and what they had used by then. */
    private static final class Window {
        private long start;
        private double used;

        Window(long start, double used) {
            this.start = start;
            this.used = used;
        }

        /** False until a second has passed; then whether the compilers used under {@code quietShare} in it (and a new one starts). */
        boolean endedQuietly(Collection<Long> pids, double quietShare) {
            long now = System.nanoTime();
            if (now - start < 1_000_000_000L) {
                return false;
            }
            double usedNow = seconds(pids);
            boolean quiet = usedNow - used < quietShare;
            start = now;
            used = usedNow;
            return quiet;
        }
    }

    /** Seconds of CPU the compiler threads of {@code pids} have used since they started; 0 for a process gone. */
    static double seconds(Collection<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            ticks += ticks(Path.of("/proc", Long.toString(pid), "task"));
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static long ticks(Path tasks) {
        if (!Files.isDirectory(tasks)) {
            return 0;
        }
        long sum = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    // "C1 CompilerThre" and "C2 CompilerThre" (a thread's name is cut at 15 characters)
                    if (Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
                        String stat = Files.readString(thread.resolve("stat"));
                        // after the name in parentheses: utime and stime are the 12th and 13th fields
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        sum += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException | RuntimeException threadGone) {
                    // a thread that ended between the listing and the read used nothing more
                }
            }
        } catch (IOException processGone) {
            return sum;
        }
        return sum;
    }
}
