package dev.codedeploy.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactPackagerTest {

    @TempDir
    Path dir;

    @Test
    void theSameFolderGivesTheSameBytes() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws/out/bin"));
        Files.writeString(ws.resolve("app"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(ws.resolve("app"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dir.resolve("ws/out/current-app"), Path.of("bin/app"));
        var first = ArtifactPackager.pack(dir.resolve("ws"), "out", dir.resolve("a/artifact"));
        Files.setLastModifiedTime(ws.resolve("app"), java.nio.file.attribute.FileTime.fromMillis(1));
        var second = ArtifactPackager.pack(dir.resolve("ws"), "out", dir.resolve("b/artifact"));
        assertThat(first.format()).isEqualTo(ArtifactPackager.Format.TAR);
        assertThat(sha256(first.file())).isEqualTo(sha256(second.file()));
    }

    @Test
    void aLinkOutOfTheOutputIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("ws/out"));
        Files.createSymbolicLink(dir.resolve("ws/out/passwd"), Path.of("../../../etc/passwd"));
        assertThatThrownBy(() -> ArtifactPackager.pack(dir.resolve("ws"), "out", dir.resolve("a/artifact")))
                .isInstanceOf(BuildFailedException.class).hasMessageContaining("points outside the output");
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
