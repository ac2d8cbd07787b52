package dev.codedeploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void credentialsOfUrlsAreMasked() {
        assertThat(Redaction.url("cannot reach jdbc:mysql://cd:s3cret@db:3306/cd?user=cd&password=s3cret&useSSL=false now"))
                .isEqualTo("cannot reach jdbc:mysql://cd:***@db:3306/cd?user=cd&password=***&useSSL=false now");
        assertThat(Redaction.url("https://ghp_token@github.com/org/repo.git")).isEqualTo("https://***@github.com/org/repo.git");
        assertThat(Redaction.url("ssh://git@host/org/repo")).isEqualTo("ssh://git@host/org/repo");
        assertThat(Redaction.url("plain text")).isEqualTo("plain text");
    }

    @Test
    void knownSecretsAreMaskedAnywhere() {
        assertThat(Redaction.secrets("Access denied: topsecret used", List.of("topsecret", "", "ab")))
                .isEqualTo("Access denied: *** used");
    }
}
