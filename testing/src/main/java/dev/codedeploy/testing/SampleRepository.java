package dev.codedeploy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A small git repository made with JGit for the sandbox and tests: a {@code .codedeploy.yml}, a build script, an app
 * and its health check. Each {@link #commit(String, Map)} adds a commit and returns its SHA.
 */
public final class SampleRepository implements AutoCloseable {

    /** A build that writes {@code dist/} with the app, its version and a filler of {@code SIZE_KB} kilobytes. */
    public static final String BUILD_SCRIPT = """
            #!/bin/sh
            set -eu
            echo "building $CODEDEPLOY_SHA (job $CODEDEPLOY_JOB_ID)"
            rm -rf dist && mkdir -p dist/bin
            cp app.sh dist/bin/app && chmod +x dist/bin/app
            echo "$CODEDEPLOY_SHA" > dist/VERSION
            head -c "$(( ${SIZE_KB:-64} * 1024 ))" /dev/zero | tr '\\0' 'x' > dist/filler.bin
            echo "built $(du -sk dist | cut -f1) KiB"
            """;

    /** The default spec: the build script, output {@code dist}, and a health check of the installed app. */
    public static final String SPEC = """
            build:
              command: [sh, build.sh]
              output: dist
              timeout: 5m
              env:
                SIZE_KB: "64"
            deploy:
              healthCheck:
                command: [bin/app, --health]
                timeout: 10s
                retries: 3
            """;

    private static final String APP = """
            #!/bin/sh
            # the sample app: answers its health check with its version
            if [ "${1:-}" = "--health" ]; then cat "$(dirname "$0")/../VERSION"; exit 0; fi
            echo "sample app $(cat "$(dirname "$0")/../VERSION")"
            """;

    private final Git git;
    private final Path dir;
    private String first;

    private SampleRepository(Git git, Path dir) {
        this.git = git;
        this.dir = dir;
    }

    /** Creates the repository in {@code dir} (which becomes a non-bare repository) with a first commit. */
    public static SampleRepository create(Path dir) {
        try {
            Files.createDirectories(dir);
            Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
            SampleRepository repo = new SampleRepository(git, dir);
            repo.first = repo.commit("first version", Map.of(".codedeploy.yml", SPEC, "build.sh", BUILD_SCRIPT, "app.sh", APP));
            return repo;
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException("cannot create sample repository in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code files} (path to content), commits them, and returns the new commit's SHA.
     */
    public String commit(String message, Map<String, String> files) {
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = dir.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
                if (file.getKey().endsWith(".sh")) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            git.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("codedeploy sandbox", "sandbox@codedeploy.dev");
            RevCommit commit = git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
            return commit.getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot commit to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes {@code paths}, commits, and returns the new commit's SHA. */
    public String remove(String message, String... paths) {
        try {
            for (String path : paths) {
                Files.deleteIfExists(dir.resolve(path));
                git.rm().addFilepattern(path).call();
            }
            PersonIdent who = new PersonIdent("codedeploy sandbox", "sandbox@codedeploy.dev");
            return git.commit().setMessage(message).setAuthor(who).setCommitter(who).call().getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException("cannot commit to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The SHA of the first commit, made by {@link #create(Path)}. */
    public String firstCommit() {
        return first;
    }

    /** The working folder (its {@code .git} is the repository). */
    public Path dir() {
        return dir;
    }

    /** A {@code file://} URL of the repository. */
    public String fileUrl() {
        return dir.toUri().toString().replace("file:/", "file:///").replace("file:////", "file:///");
    }

    @Override
    public void close() {
        git.close();
    }
}
