package dev.codedeploy.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the tree of one commit into an empty workspace, like {@code git archive | tar x}: files with their
 * executable bit, symbolic links as links; no {@code .git}, no leftovers from an earlier build. Paths that would
 * leave the workspace are refused.
 */
final class SourceExport {

    private static final Logger log = LoggerFactory.getLogger(SourceExport.class);

    private SourceExport() {
    }

    static void export(Repository repository, String sha, Path workspace) {
        try {
            Files.createDirectories(workspace);
            Path root = workspace.toRealPath();
            try (RevWalk walk = new RevWalk(repository); ObjectReader reader = repository.newObjectReader()) {
                RevCommit commit = walk.parseCommit(ObjectId.fromString(sha));
                try (TreeWalk tree = new TreeWalk(repository, reader)) {
                    tree.addTree(commit.getTree());
                    tree.setRecursive(true);
                    while (tree.next()) {
                        write(reader, tree, root);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check out " + sha + " into " + workspace + ": " + e.getMessage(), e);
        }
    }

    private static void write(ObjectReader reader, TreeWalk tree, Path root) throws IOException {
        String path = tree.getPathString();
        Path target = root.resolve(path).normalize();
        if (!target.startsWith(root) || path.startsWith("/") || path.contains("\0")) {
            throw new BuildFailedException("the commit holds a path that leaves the workspace: '" + path + "'");
        }
        Files.createDirectories(target.getParent());
        if (!target.getParent().toRealPath().startsWith(root)) {
            throw new BuildFailedException("the commit writes '" + path + "' through a link that leaves the workspace");
        }
        FileMode mode = tree.getFileMode(0);
        if (mode == FileMode.GITLINK) {
            log.warn("submodule {} is not checked out (submodules are not supported)", path);
            Files.createDirectories(target);
            return;
        }
        if (mode == FileMode.SYMLINK) {
            String link = new String(reader.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            Files.createSymbolicLink(target, Path.of(link));
            return;
        }
        try (InputStream in = reader.open(tree.getObjectId(0)).openStream()) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (mode == FileMode.EXECUTABLE_FILE) {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
