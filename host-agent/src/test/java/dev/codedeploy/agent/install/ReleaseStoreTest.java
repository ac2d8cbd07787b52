package dev.codedeploy.agent.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.testing.EmbeddedServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReleaseStoreTest {

    private final ReleaseStore store = ReleaseStore.open(EmbeddedServers.newFolder("store"));

    private void installed(long build) throws Exception {
        Files.createDirectories(store.releaseDir(build));
        Files.writeString(store.releaseDir(build).resolve("VERSION"), "v" + build);
        Files.createDirectories(store.downloadDir(build));
        Files.writeString(store.artifact(build), "bytes");
    }

    @Test
    void switchingMovesCurrentAtomicallyAndRemembersPrevious() throws Exception {
        installed(1);
        installed(2);
        assertThat(store.current()).isEmpty();
        store.switchTo(1);
        assertThat(store.current()).hasValue(1);
        assertThat(store.previous()).isEmpty();
        store.switchTo(2);
        assertThat(store.current()).hasValue(2);
        assertThat(store.previous()).hasValue(1);
        assertThat(Files.readString(store.currentLink().resolve("VERSION"))).isEqualTo("v2");
        assertThat(Files.readSymbolicLink(store.currentLink())).isEqualTo(Path.of("releases", "2"));
        // switching back (a rollback) is the same atomic move
        store.switchTo(1);
        assertThat(store.current()).hasValue(1);
        assertThat(store.previous()).hasValue(2);
        try (var leftovers = Files.list(store.root())) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".next-"));
        }
        assertThatThrownBy(() -> store.switchTo(9)).hasMessageContaining("not installed");
        assertThatThrownBy(() -> store.deleteRelease(1)).hasMessageContaining("current");
    }

    @Test
    void cleanupKeepsCurrentPreviousTargetAndTheNewestReleases() throws Exception {
        for (long build = 1; build <= 7; build++) {
            installed(build);
        }
        store.switchTo(2);
        store.switchTo(3); // previous 2, current 3
        Set<Long> deleted = new ReleaseCleaner(store).clean(2, Set.of(3L), 7L);
        // kept: current 3, previous 2, target 7 and the two newest others (5, 6); downloads: 3 (seeded) and 7 (target)
        assertThat(store.installed()).containsExactly(2L, 3L, 5L, 6L, 7L);
        assertThat(store.downloads()).containsExactly(3L, 7L);
        assertThat(deleted).containsExactlyInAnyOrder(1L, 2L, 4L, 5L, 6L);
        new ReleaseCleaner(store).clean(0, Set.of(), null);
        assertThat(store.installed()).containsExactly(2L, 3L);
        assertThat(store.downloads()).isEmpty();
    }

    @Test
    void stateSurvivesReopeningAndTmpIsEmptied() throws Exception {
        store.saveState(AgentState.EMPTY.withReleaseVersion(7).healthy(3));
        Files.createDirectories(store.tmp().resolve("4.unpacking"));
        ReleaseStore reopened = ReleaseStore.open(store.root());
        assertThat(reopened.state().releaseVersion()).isEqualTo(7);
        assertThat(reopened.state().healthyBuild()).isEqualTo(3);
        try (var tmp = Files.list(reopened.tmp())) {
            assertThat(tmp).isEmpty();
        }
    }

    @Test
    void aDownloadCountsAsVerifiedOnlyWithTheMatchingSha256AndSize() throws Exception {
        installed(5);
        assertThat(store.isVerified(5, "ab", 5)).isFalse();
        store.markVerified(5, "ab");
        assertThat(store.isVerified(5, "ab", 5)).isTrue();
        assertThat(store.isVerified(5, "cd", 5)).isFalse();
        assertThat(store.isVerified(5, "ab", 6)).isFalse();
    }
}
