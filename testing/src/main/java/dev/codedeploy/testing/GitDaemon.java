package dev.codedeploy.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code git daemon} serving every repository under a folder over {@code git://127.0.0.1:port/}, a real remote
 * for the builders to fetch from.
 */
public final class GitDaemon implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path base;

    private GitDaemon(Process process, int port, Path base) {
        this.process = process;
        this.port = port;
        this.base = base;
    }

    /**
     * Starts {@code git daemon} on a free port, exporting every repository under {@code base}.
     *
     * @throws IllegalStateException when git is not installed or the daemon does not come up
     */
    public static GitDaemon start(Path base) {
        for (int tries = 0; tries < 5; tries++) {
            int port = freePort();
            try {
                Process process = new ProcessBuilder(List.of("git", "daemon", "--reuseaddr", "--export-all",
                        "--listen=127.0.0.1", "--port=" + port, "--base-path=" + base, base.toString()))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (awaitListening(process, port)) {
                    return new GitDaemon(process, port, base);
                }
                process.destroyForcibly();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run 'git daemon' (is git installed?): " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("git daemon did not start listening under " + base);
    }

    /**
     * Checks that the system's git and its {@code git daemon} are installed, before anything else starts.
     *
     * @throws IllegalStateException saying what to install
     */
    public static void checkInstalled() {
        String execPath;
        try {
            Process git = new ProcessBuilder("git", "--exec-path").redirectErrorStream(true).start();
            execPath = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (!git.waitFor(10, TimeUnit.SECONDS) || git.exitValue() != 0) {
                throw new IllegalStateException("'git --exec-path' failed: " + execPath);
            }
        } catch (IOException e) {
            throw new IllegalStateException("git is not installed: the sandbox serves its sample repository with 'git daemon'"
                    + " (install git, e.g. apt-get install git)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking for git", e);
        }
        if (!java.nio.file.Files.isExecutable(Path.of(execPath, "git-daemon"))) {
            throw new IllegalStateException("git is installed without 'git daemon' (no git-daemon in " + execPath + "): the sandbox"
                    + " serves its sample repository with it (install it, e.g. dnf install git-daemon)");
        }
    }

    private static boolean awaitListening(Process process, int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                try {
                    process.waitFor(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port: " + e.getMessage(), e);
        }
    }

    /** The {@code git://} URL of the repository in folder {@code name} under the base. */
    public String urlOf(String name) {
        return "git://127.0.0.1:" + port + "/" + name;
    }

    /** The folder served. */
    public Path base() {
        return base;
    }

    /** The port. */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
