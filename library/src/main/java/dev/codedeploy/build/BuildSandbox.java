package dev.codedeploy.build;

import dev.codedeploy.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a build command is started so that it sees only its checkout, its home and its declared environment, and
 * leaves nothing running behind it. Chosen once per worker pool, by what the machine allows:
 *
 * <ul>
 *   <li>{@link Mode#ROOT} (the worker is root): {@code unshare} gives the build its own PID and mount namespaces, and
 *       {@code setpriv} drops it to {@code build.runAs} with no capabilities and no way back ({@code no_new_privs}).
 *       Inside, a private {@code /proc} shows only its own processes; {@code workDir} (git mirrors, staging, other
 *       builds) is covered by an empty tmpfs; {@code /tmp} is the build's own folder on disk; its checkout and home
 *       appear at {@value #INSIDE}{@code /workspace} and {@value #INSIDE}{@code /home}. Files outside keep their
 *       permissions: the worker's configuration (mode 0600, root) cannot be read.</li>
 *   <li>{@link Mode#USER} (the worker is not root, but unprivileged user namespaces work): the same namespaces, as the
 *       worker's own user; what that user's permissions allow outside {@code workDir} and {@code /tmp} stays
 *       readable.</li>
 *   <li>{@link Mode#PROCESS_GROUP} (neither): a new session, killed as a group; a process that starts its own session
 *       escapes it. Logged as a warning at start.</li>
 * </ul>
 *
 * In both namespace modes the build command is PID 1 of its namespace: when it exits, or is killed on timeout or
 * cancel, the kernel kills every process left in it, daemons included.
 */
final class BuildSandbox {

    private static final Logger log = LoggerFactory.getLogger(BuildSandbox.class);

    /** Where the build finds its checkout and home, inside the mount namespace. */
    static final String INSIDE = "/tmp/codedeploy";

    /**
     * Run by {@code sh} as root of the new namespaces: opens the build's folders before anything hides them, covers
     * {@code workDir} with an empty tmpfs, makes the build's own tmp folder {@code /tmp}, binds the checkout and home
     * into it (from the open descriptors, so that hidden paths still resolve), then starts the build.
     */
    private static final String SCRIPT = """
            set -e
            ws=$1; home=$2; tmp=$3; work=$4; shift 4
            exec 3<"$ws" 4<"$home" 5<"$tmp"
            mount -t tmpfs -o mode=0755,size=64k codedeploy-hidden "$work"
            mount --no-canonicalize --bind /proc/self/fd/5 /tmp
            mkdir -p %1$s/workspace %1$s/home
            mount --no-canonicalize --bind /proc/self/fd/3 %1$s/workspace
            mount --no-canonicalize --bind /proc/self/fd/4 %1$s/home
            exec 3<&- 4<&- 5<&-
            cd %1$s/workspace
            exec "$@"
            """.formatted(INSIDE);

    /** How builds are isolated on this machine. */
    enum Mode {
        /** Namespaces, and another user: the worker is root. */
        ROOT,
        /** Namespaces as the worker's own user. */
        USER,
        /** A new session only. */
        PROCESS_GROUP
    }

    /** A numeric user and group. */
    record Identity(String name, int uid, int gid) {
    }

    private final Mode mode;
    private final Identity user;
    private final Path workDir;

    BuildSandbox(Mode mode, Identity user, Path workDir) {
        this.mode = mode;
        this.user = user;
        this.workDir = workDir;
    }

    /**
     * Chooses the mode for {@code config} on this machine.
     *
     * @throws ConfigException when the worker is root but cannot isolate builds (no {@code unshare}/{@code setpriv},
     *                         or {@code build.runAs} names no user): builds never run as root
     */
    static BuildSandbox prepare(BuildConfig config) {
        Path workDir = config.workDir().toAbsolutePath().normalize();
        if (workDir.getNameCount() == 0) {
            throw new ConfigException("build.workDir cannot be the root folder");
        }
        if (isRoot()) {
            if (!works(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "private",
                    "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--no-new-privs", "true"))) {
                throw new ConfigException("this worker runs as root but cannot isolate builds: it needs unshare and setpriv (util-linux)"
                        + " on its PATH and a kernel with PID and mount namespaces. Builds never run as root");
            }
            return new BuildSandbox(Mode.ROOT, identity(config.runAs()), workDir);
        }
        if (works(List.of("unshare", "--user", "--map-current-user", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "true"))) {
            return new BuildSandbox(Mode.USER, null, workDir);
        }
        log.warn("builds run in a new session only: this worker is not root and cannot make user namespaces, so a build can read"
                + " what this user can, and a process that starts its own session outlives its build. Run workers as root with"
                + " build.runAs (see docs/security.md)");
        return new BuildSandbox(Mode.PROCESS_GROUP, null, workDir);
    }

    Mode mode() {
        return mode;
    }

    /** One line for the log. */
    String describe() {
        return switch (mode) {
            case ROOT -> "as " + user.name() + " (uid " + user.uid() + ") in their own PID and mount namespaces";
            case USER -> "in their own user, PID and mount namespaces";
            case PROCESS_GROUP -> "in a new session only (no isolation: see the warning above)";
        };
    }

    /** The user the build runs as, or null when it runs as the worker's own. */
    String userName() {
        return user == null ? null : user.name();
    }

    /** Where the build sees its checkout. */
    String workspaceInside(Path workspace) {
        return mode == Mode.PROCESS_GROUP ? workspace.toString() : INSIDE + "/workspace";
    }

    /** The build's {@code HOME}. */
    String homeInside(Path home) {
        return mode == Mode.PROCESS_GROUP ? home.toString() : INSIDE + "/home";
    }

    /** The build's {@code TMPDIR}. */
    String tmpInside(Path tmp) {
        return mode == Mode.PROCESS_GROUP ? tmp.toString() : "/tmp";
    }

    /**
     * Makes the build's home and tmp folders and hands them and the checkout to the build's user; {@code workDir} and
     * the folders above them stay the worker's, so that no other build can reach them.
     */
    void prepareFolders(Path workspace, Path home, Path tmp) throws IOException {
        Files.createDirectories(tmp);
        if (mode == Mode.ROOT) {
            for (Path shared : List.of(workDir, workspace.getParent(), home.getParent())) {
                Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx--x--x"));
            }
            for (Path own : List.of(workspace, home, tmp)) {
                chown(own);
                Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    private void chown(Path tree) throws IOException {
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path p : paths.toList()) {
                Files.setAttribute(p, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The command line that starts {@code argv} (its program already resolved) isolated in these folders. */
    List<String> wrap(List<String> argv, Path workspace, Path home, Path tmp) {
        List<String> command = new ArrayList<>();
        switch (mode) {
            case ROOT -> {
                command.addAll(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "private",
                        "sh", "-c", SCRIPT, "codedeploy-build", workspace.toString(), home.toString(), tmp.toString(), workDir.toString(),
                        "setpriv", "--reuid=" + user.uid(), "--regid=" + user.gid(), "--clear-groups", "--no-new-privs", "--"));
            }
            case USER -> command.addAll(List.of("unshare", "--user", "--map-current-user", "--mount", "--pid", "--fork", "--kill-child",
                    "--mount-proc", "--propagation", "private", "sh", "-c", SCRIPT, "codedeploy-build", workspace.toString(), home.toString(),
                    tmp.toString(), workDir.toString()));
            case PROCESS_GROUP -> command.add("setsid");
        }
        command.addAll(argv);
        return command;
    }

    /**
     * Kills a started build and everything it started: the namespace's first process (the kernel then kills the rest
     * of the namespace), or the session's process group.
     */
    void kill(Process launcher) {
        if (mode == Mode.PROCESS_GROUP) {
            run(List.of("kill", "-KILL", "--", "-" + launcher.pid()));
        } else {
            // the namespace's PID 1 is the launcher's child; killing the launcher alone would not reach it, since setpriv
            // clears the parent-death signal when it changes the user
            launcher.children().forEach(ProcessHandle::destroyForcibly);
        }
        launcher.descendants().forEach(ProcessHandle::destroyForcibly);
        launcher.destroyForcibly();
    }

    static boolean isRoot() {
        return "0".equals(output(List.of("id", "-u")));
    }

    private static Identity identity(String name) {
        String uid = output(List.of("id", "-u", name));
        String gid = output(List.of("id", "-g", name));
        if (uid == null || gid == null || !uid.matches("\\d+") || !gid.matches("\\d+")) {
            throw new ConfigException("build.runAs '" + name + "' is not a user of this machine: create it (useradd --system"
                    + " --no-create-home --shell /usr/sbin/nologin " + name + ") or name another unprivileged user");
        }
        if (uid.equals("0")) {
            throw new ConfigException("build.runAs '" + name + "' has uid 0: builds never run as root");
        }
        return new Identity(name, Integer.parseInt(uid), Integer.parseInt(gid));
    }

    private static boolean works(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(List<String> command) {
        works(command);
    }

    private static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readNBytes(256), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
