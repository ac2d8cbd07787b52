package dev.codedeploy.ghaction;

import dev.codedeploy.InvalidInputException;
import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.config.EnvironmentSubstitution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code config} input: the path of a codedeploy YAML file, or the YAML itself (a value with a line break, or
 * that starts with '{', or holds {@code key: value}). {@code ${ENV}} is substituted, so that secrets can come from the
 * step's {@code env:}. Every password and secret key in it is masked before the configuration is parsed, since a
 * parse error may quote the line it failed on.
 */
final class ConfigInput {

    /** {@code password: x}, {@code secretKey: "x"}, any other secret field, also in flow style; the value quoted or not. */
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "\\b(?:password|secretKey|signingKey|agentPassword|hostPassword|token)\\s*:[ \\t]*(?:\"([^\"\\n]*)\"|'([^'\\n]*)'|([^,}\\s#][^,}\\n#]*))");
    /** The password of a URL: {@code ?password=x} or {@code scheme://user:x@host}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("[?&;]password=([^&;\\s\"'},]+)|://[^/@\\s:]+:([^/@\\s]+)@");

    private ConfigInput() {
    }

    /**
     * Reads, masks and parses the configuration.
     *
     * @throws InvalidInputException naming the input, the file or the field
     */
    static CodeDeployConfig load(String value, Secrets secrets) {
        boolean inline = isInline(value);
        String source = inline ? "input 'config' (inline YAML)" : "input 'config' (" + value + ")";
        String text = inline ? value : read(value);
        try {
            String substituted = EnvironmentSubstitution.apply(text);
            maskFields(substituted, secrets);
            maskUrlPasswords(substituted, secrets);
        } catch (ConfigException unsetVariable) {
            // reported by the parse below, with the source
        }
        CodeDeployConfig config = ConfigLoader.parse(text, source);
        maskConfig(config, secrets);
        return config;
    }

    static boolean isInline(String value) {
        return value.contains("\n") || value.startsWith("{") || value.matches("(?s).*\\w:\\s.*");
    }

    private static String read(String path) {
        Path file = Path.of(path);
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("input 'config': no file " + file.toAbsolutePath()
                    + ": give the path of the codedeploy YAML configuration (relative to the workspace, so check out first), or the YAML itself");
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("input 'config': cannot read " + file.toAbsolutePath() + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "): give a readable YAML file, or the YAML itself");
        }
    }

    private static void maskFields(String text, Secrets secrets) {
        Matcher m = SECRET_FIELD.matcher(text);
        while (m.find()) {
            for (int group = 1; group <= 3; group++) {
                if (m.group(group) != null) {
                    secrets.add(m.group(group).strip());
                }
            }
        }
    }

    private static void maskUrlPasswords(String text, Secrets secrets) {
        Matcher m = URL_PASSWORD.matcher(text);
        while (m.find()) {
            secrets.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
    }

    private static void maskConfig(CodeDeployConfig config, Secrets secrets) {
        config.secrets().forEach(secrets::add);
    }
}
