package dev.codedeploy.agent.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.testing.EmbeddedServers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class SafeUntarTest {

    private final Path work = EmbeddedServers.newFolder("untar");
    private final Path outside = work.resolve("outside.txt");

    /** Writes a tar whose entries are given as (type, name, content-or-link) triples. */
    private Path tar(String... entries) throws IOException {
        Path file = Files.createTempFile(work, "archive", ".tar");
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int i = 0; i < entries.length; i += 3) {
                String type = entries[i];
                String name = entries[i + 1];
                String value = entries[i + 2];
                TarArchiveEntry entry;
                switch (type) {
                    case "dir" -> entry = new TarArchiveEntry(name, TarArchiveEntry.LF_DIR);
                    case "symlink" -> {
                        entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                        entry.setLinkName(value);
                    }
                    case "hardlink" -> {
                        entry = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
                        entry.setLinkName(value);
                    }
                    case "fifo" -> entry = new TarArchiveEntry(name, TarArchiveEntry.LF_FIFO);
                    case "exec" -> {
                        entry = new TarArchiveEntry(name, true);
                        entry.setMode(0104755); // setuid is dropped
                        entry.setSize(value.length());
                    }
                    default -> {
                        entry = new TarArchiveEntry(name, true);
                        entry.setMode(0100644);
                        entry.setSize(value.getBytes(StandardCharsets.UTF_8).length);
                    }
                }
                tar.putArchiveEntry(entry);
                if (type.equals("file") || type.equals("exec")) {
                    tar.write(value.getBytes(StandardCharsets.UTF_8));
                }
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    private void refused(Path tar, String message) {
        Path target = work.resolve("release-" + System.nanoTime());
        assertThatThrownBy(() -> SafeUntar.unpack(tar, target, 1 << 20, 100, "build 7"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(message).hasMessageContaining("build 7");
        assertThat(target).doesNotExist();
        assertThat(outside).doesNotExist();
    }

    @Test
    void unpacksFilesFoldersModesAndInsideLinks() throws Exception {
        Path tar = tar("dir", "bin/", "", "exec", "bin/app", "#!/bin/sh\n", "file", "conf/app.conf", "x=1",
                "symlink", "bin/conf", "../conf", "hardlink", "conf/copy.conf", "conf/app.conf", "symlink", "self", ".");
        Path target = work.resolve("release");
        long bytes = SafeUntar.unpack(tar, target, 1 << 20, 100, "build 7");
        assertThat(bytes).isEqualTo(13);
        assertThat(Files.getPosixFilePermissions(target.resolve("bin/app"))).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.readString(target.resolve("bin/conf/app.conf"))).isEqualTo("x=1");
        assertThat(Files.readSymbolicLink(target.resolve("bin/conf"))).isEqualTo(Path.of("../conf"));
        assertThat(Files.readString(target.resolve("conf/copy.conf"))).isEqualTo("x=1");
    }

    @Test
    void refusesEntriesThatLeaveTheFolder() throws Exception {
        refused(tar("file", "../outside.txt", "x"), "contains '..'");
        refused(tar("file", "bin/../../outside.txt", "x"), "contains '..'");
        refused(tar("file", outside.toString(), "x"), "absolute path");
    }

    @Test
    void refusesLinksThatPointOutside() throws Exception {
        refused(tar("symlink", "escape", "../outside.txt"), "points outside the release folder");
        refused(tar("symlink", "escape", "/etc/passwd"), "links must be relative");
        refused(tar("symlink", "deep/escape", "../../x"), "points outside the release folder");
        refused(tar("hardlink", "escape", "../outside.txt"), "contains '..'");
        refused(tar("hardlink", "escape", "missing"), "not a file unpacked before");
    }

    @Test
    void refusesWritingThroughALinkAndReplacingEntries() throws Exception {
        // a link that stays inside, then an entry written through it
        refused(tar("dir", "data/", "", "symlink", "alias", "data", "file", "alias/x", "x"), "through the link 'alias'");
        refused(tar("file", "a", "1", "file", "a", "2"), "replaces an entry");
        refused(tar("file", "a", "1", "symlink", "a", "b"), "replaces an entry");
    }

    @Test
    void refusesSpecialFilesAndTarBombsForGood() throws Exception {
        refused(tar("fifo", "pipe", ""), "special file");
        Path target = work.resolve("bomb");
        assertThatThrownBy(() -> SafeUntar.unpack(tar("file", "big", "0123456789"), target, 5, 100, "build 7"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unpacks to more than").hasMessageContaining("for good");
        assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aChainOfLinksThatClimbsOutIsRefusedThoughEachLinkLooksInside() throws Exception {
        // a/b points at its own folder, so a/b/../.. is the folder's parent, although it reads as the folder itself
        refused(tar("dir", "a/", "", "symlink", "a/b", ".", "symlink", "x", "a/b/../../outside.txt"), "points outside the release folder");
        // the order does not help: the chain is followed once every entry is there
        refused(tar("symlink", "x", "a/b/../../outside.txt", "dir", "a/", "", "symlink", "a/b", "."), "points outside the release folder");
        refused(tar("symlink", "l1", "l2", "symlink", "l2", "l1"), "more than 40 links");
        Path fine = work.resolve("fine");
        SafeUntar.unpack(tar("dir", "a/", "", "symlink", "a/b", ".", "symlink", "x", "a/b/../a", "symlink", "dangling", "no/such/file"),
                fine, 1 << 20, 100, "build 7");
        assertThat(Files.isDirectory(fine.resolve("x"))).isTrue();
    }

    @Test
    void anArchiveWithTooManyEntriesIsRefused() throws Exception {
        Path target = work.resolve("many");
        assertThatThrownBy(() -> SafeUntar.unpack(tar("file", "1", "a", "file", "2", "b", "file", "3", "c", "file", "4", "d"), target,
                1 << 20, 3, "build 7")).isInstanceOf(InvalidInputException.class).hasMessageContaining("'4'")
                .hasMessageContaining("past the 3 entries");
        assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void sparseEntriesAreCountedAsTheyExpandNotAsTheyDeclare() throws Exception {
        for (String format : new String[] {"gnu", "posix"}) {
            Path sparseDir = Files.createDirectories(work.resolve("sparse-" + format));
            try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(sparseDir.resolve("hole.bin").toFile(), "rw")) {
                file.setLength(256L << 20);
                file.seek(128L << 20);
                file.write("data".getBytes(StandardCharsets.UTF_8));
            }
            Path archive = work.resolve("sparse-" + format + ".tar");
            Process tar = new ProcessBuilder("tar", "--sparse", "--format=" + format, "-cf", archive.toString(), "-C", sparseDir.toString(),
                    "hole.bin").redirectErrorStream(true).start();
            assertThat(tar.waitFor()).as(new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
            long size = Files.size(archive);
            assertThat(size).as("the archive is small").isLessThan(1 << 20);
            Path target = work.resolve("sparse-release-" + format);
            // the budget is the archive's own size: its entries declare little, but expand to 256 MiB
            assertThatThrownBy(() -> SafeUntar.unpack(archive, target, size, 100, "build 9")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("unpacks to more than").hasMessageContaining("hole.bin");
            assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
    }
}
