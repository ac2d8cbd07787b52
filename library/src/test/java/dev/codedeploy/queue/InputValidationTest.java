package dev.codedeploy.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputValidationTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void fullShaIsNormalisedToLowercase() {
        assertThat(CommitSha.validate("  " + SHA.toUpperCase() + " ")).isEqualTo(SHA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc123", "main", "0123456789abcdef0123456789abcdef0123456g", "0123456789abcdef0123456789abcdef012345678"})
    void shortOrNonHexShaIsRefusedWithTheAcceptedForm(String sha) {
        assertThatThrownBy(() -> CommitSha.validate(sha))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("40 hex digits");
    }

    @Test
    void missingShaIsNamed() {
        assertThatThrownBy(() -> CommitSha.validate(" ")).hasMessageContaining("sha is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://github.com/org/repo.git", "git://127.0.0.1:9418/repo", "ssh://git@host/org/repo",
            "git@github.com:org/repo.git", "file:///tmp/repo"})
    void acceptedRepositoryUrls(String url) {
        assertThat(RepositoryUrl.validate(url)).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://host/repo", "not a url", "--upload-pack=evil", "https://", "https://host/", "/tmp/repo", "https://host/a\nb"})
    void refusedRepositoryUrlsNameTheProblem(String url) {
        assertThatThrownBy(() -> RepositoryUrl.validate(url))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("repository URL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://alice:s3cr3t-token@github.com/org/repo.git", "https://s3cr3t-token@github.com/org/repo.git",
            "http://x-access-token:s3cr3t-token@host/repo.git", "ssh://git:s3cr3t-token@host/org/repo",
            "git:s3cr3t-token@host:org/repo.git"})
    void aUrlWithCredentialsIsRefusedWithoutRepeatingThem(String url) {
        assertThatThrownBy(() -> RepositoryUrl.validate(url))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("carries credentials").hasMessageContaining("~/.netrc")
                .hasMessageNotContaining("s3cr3t-token");
    }

    @Test
    void requesterIsRequired() {
        assertThatThrownBy(() -> new BuildRequest("https://h/r.git", SHA, ""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("requestedBy");
    }
}
