package dev.codedeploy.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.codedeploy.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A password written into the JDBC URL is moved out of it, so that no log line or error can carry it. */
class DatabaseConfigTest {

    @ParameterizedTest
    @CsvSource({
        "jdbc:mysql://db:3306/cd?password=pa%26ss&useSSL=false, jdbc:mysql://db:3306/cd?useSSL=false, cd",
        "jdbc:mysql://db:3306/cd?useSSL=false&password=pa%26ss, jdbc:mysql://db:3306/cd?useSSL=false, cd",
        "jdbc:mysql://db:3306/cd?a=1&password=pa%26ss&b=2, jdbc:mysql://db:3306/cd?a=1&b=2, cd",
        "jdbc:mysql://cd:pa%26ss@db:3306/cd, jdbc:mysql://db:3306/cd, cd",
        "jdbc:mariadb://db/cd?password=pa%26ss, jdbc:mariadb://db/cd, cd"})
    void aPasswordInTheUrlMovesToThePassword(String url, String cleanUrl, String user) {
        DatabaseConfig config = new DatabaseConfig(url, "cd", null, 4);
        assertThat(config.url()).isEqualTo(cleanUrl);
        assertThat(config.password()).isEqualTo("pa&ss");
        assertThat(config.user()).isEqualTo(user);
        assertThat(config.toString()).doesNotContain("pa%26ss").doesNotContain("pa&ss");
    }

    @Test
    void aPasswordInTheUrlNeverAppearsInAnError() {
        assertThatThrownBy(() -> new DatabaseConfig("jdbc:postgresql://u:hunter22@db/cd?password=hunter22", null, null, 1))
                .hasMessageContaining("jdbc:mysql://").hasMessageNotContaining("hunter22");
        assertThatThrownBy(() -> new DatabaseConfig("jdbc:mysql://db/cd?password=hunter22", "u", "other-secret", 1))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("hunter22").hasMessageNotContaining("other-secret");
    }
}
