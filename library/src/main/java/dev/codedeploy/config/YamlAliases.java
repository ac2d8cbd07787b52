package dev.codedeploy.config;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;

/**
 * Finds YAML anchors and aliases, which codedeploy's files refuse: Jackson's tree model reads an alias as the
 * anchor's <em>name</em> ({@code output: *dist} becomes the text {@code "dist"}), so a file would silently mean
 * something else than it says.
 */
public final class YamlAliases {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlAliases() {
    }

    /**
     * Describes the first anchor or alias of {@code yaml} ("line 3: alias *dist"), or returns null when it has none
     * (or is not valid YAML: the caller's parser reports that).
     */
    public static String find(String yaml) {
        try (YAMLParser parser = FACTORY.createParser(yaml)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                int line = parser.currentLocation().getLineNr();
                if (parser.isCurrentAlias()) {
                    return "line " + line + ": alias *" + parser.getText();
                }
                if (parser.getObjectId() != null && token != JsonToken.FIELD_NAME) {
                    return "line " + line + ": anchor &" + parser.getObjectId();
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The sentence that explains the refusal, after {@link #find}'s description. */
    public static String advice() {
        return "YAML anchors (&name) and aliases (*name) are not supported: write each value out";
    }
}
