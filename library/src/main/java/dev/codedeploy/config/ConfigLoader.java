package dev.codedeploy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Reads {@link CodeDeployConfig} from YAML: {@code ${ENV}} substitution first, then strict binding (unknown fields
 * are errors), then each section's own checks. Every error names the file and the field path.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .build();

    private ConfigLoader() {
    }

    /** Loads and validates the file. */
    public static CodeDeployConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses and validates YAML text; {@code source} names it in errors. */
    public static CodeDeployConfig parse(String yaml, String source) {
        return parse(yaml, source, CodeDeployConfig.class);
    }

    /** Parses YAML into any configuration record, with the same substitution and errors. */
    public static <T> T parse(String yaml, String source, Class<T> type) {
        String substituted;
        try {
            substituted = EnvironmentSubstitution.apply(yaml);
        } catch (ConfigException e) {
            throw new ConfigException(source + ": " + e.getMessage());
        }
        String alias = YamlAliases.find(substituted);
        if (alias != null) {
            throw new ConfigException(source + " " + alias + ": " + YamlAliases.advice());
        }
        try {
            T config = YAML.readValue(substituted, type);
            if (config == null) {
                throw new ConfigException(source + ": the configuration is empty");
            }
            return config;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", "));
            throw new ConfigException(source + ": unknown field '" + path(e) + "'; accepted here: " + known);
        } catch (JsonMappingException e) {
            throw new ConfigException(source + ": " + (path(e).isEmpty() ? "" : "field '" + path(e) + "': ") + cause(e));
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String cause(JsonMappingException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof JsonMappingException m) {
            return m.getOriginalMessage();
        }
        return t.getMessage();
    }

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage());
            }
        }
    }
}
