package dev.codedeploy.jenkins;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.codedeploy.InvalidInputException;
import dev.codedeploy.config.CodeDeployConfig;
import dev.codedeploy.config.ConfigException;
import dev.codedeploy.config.ConfigLoader;
import dev.codedeploy.config.EnvironmentSubstitution;
import hudson.AbortException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the global configuration and the credentials it names into a {@link CodeDeployConfig}. It builds one YAML
 * document (the file, then the additional YAML over it, then the inline fields, then the credentials) and hands it to
 * {@link ConfigLoader}, so that every check and every section the library knows applies here too.
 *
 * <p>{@code ${VAR}} references are substituted from the controller's environment as each piece is read, and every
 * value is then escaped, so that the loader's own substitution changes nothing: a secret is never read as a reference.
 */
final class ConfigAssembler {

    /** Written when nothing says where the database is. */
    static final String NOT_CONFIGURED = "codeDeploy: codedeploy is not configured: set a configuration file or the"
            + " database URL under Manage Jenkins › System › codedeploy";

    // the ${NAME} and ${NAME:-default} forms of dev.codedeploy.config.EnvironmentSubstitution, with its $$ escape
    private static final Pattern VARIABLE = Pattern.compile("\\$?\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final YAMLMapper YAML = new YAMLMapper();

    private final CodeDeployGlobalConfiguration settings;
    private final CredentialSource systemCredentials;
    private final CredentialSource buildCredentials;

    /**
     * @param systemCredentials where the ids of the global configuration are looked up
     * @param buildCredentials  where the id a step names itself is looked up
     */
    ConfigAssembler(CodeDeployGlobalConfiguration settings, CredentialSource systemCredentials, CredentialSource buildCredentials) {
        this.settings = settings;
        this.systemCredentials = systemCredentials;
        this.buildCredentials = buildCredentials;
    }

    /**
     * The configuration for one step call.
     *
     * @param stepCredentialsId the step's own database credentials (looked up as the build), or null for the global
     *                          ones (looked up as the system)
     * @throws AbortException naming what is missing or wrong
     */
    CodeDeployConfig assemble(String stepCredentialsId) throws AbortException {
        String file = settings.getConfigFile();
        ObjectNode root = file == null ? JsonNodeFactory.instance.objectNode() : read(substitute(readFile(file), file), file);
        if (settings.getAdditionalYaml() != null) {
            merge(root, read(substitute(settings.getAdditionalYaml(), "additional YAML"), "additional YAML"));
        }
        putIfSet(root, "database", "url", settings.getDatabaseUrl());
        putIfSet(root, "blobStore", "endpoint", settings.getBlobStoreEndpoint());
        putIfSet(root, "blobStore", "bucket", settings.getBlobStoreBucket());
        putIfSet(root, "zooKeeper", "connectString", settings.getZooKeeperConnectString());
        if (!root.has("database")) {
            throw new AbortException(NOT_CONFIGURED);
        }
        applyCredentials(root, stepCredentialsId);
        escapeAll(root);
        String source = settings.getConfigFile() == null ? "codedeploy global configuration"
                : "codedeploy global configuration (with " + settings.getConfigFile() + ")";
        try {
            return ConfigLoader.parse(YAML.writeValueAsString(root), source);
        } catch (JsonProcessingException e) {
            throw new AbortException("codeDeploy: " + source + ": " + e.getOriginalMessage());
        } catch (InvalidInputException e) {
            throw new AbortException("codeDeploy: " + e.getMessage());
        }
    }

    private void applyCredentials(ObjectNode root, String stepCredentialsId) throws AbortException {
        Credential db = stepCredentialsId != null ? buildCredentials.find(stepCredentialsId, "the step's database credentials")
                : settings.getDatabaseCredentialsId() == null ? null : systemCredentials.find(settings.getDatabaseCredentialsId(), "database");
        if (db != null) {
            setSecret(root.path("database"), "user", "password", db);
        }
        // the S3 and ZooKeeper credentials fill the master section and every region section without its own
        if (settings.getBlobStoreCredentialsId() != null) {
            Credential s3 = systemCredentials.find(settings.getBlobStoreCredentialsId(), "blob store access key and secret key");
            setSecret(root.path("blobStore"), "accessKey", "secretKey", s3);
            for (JsonNode region : root.path("regions")) {
                setSecretIfAbsent(region.path("blobStore"), "accessKey", "secretKey", s3);
            }
        }
        if (settings.getZooKeeperCredentialsId() != null) {
            Credential zk = systemCredentials.find(settings.getZooKeeperCredentialsId(), "ZooKeeper digest user and password");
            setSecret(root.path("zooKeeper"), "user", "password", zk);
            for (JsonNode region : root.path("regions")) {
                setSecretIfAbsent(region.path("zooKeeper"), "user", "password", zk);
            }
        }
    }

    private static void setSecret(JsonNode section, String userField, String secretField, Credential credential) {
        // a missing section stays missing: the library then says which section is needed
        if (section instanceof ObjectNode object) {
            if (credential.user() != null) {
                object.put(userField, credential.user());
            }
            object.put(secretField, credential.secret());
        }
    }

    private static void setSecretIfAbsent(JsonNode section, String userField, String secretField, Credential credential) {
        if (section instanceof ObjectNode object && !object.hasNonNull(secretField)) {
            setSecret(object, userField, secretField, credential);
        }
    }

    /**
     * {@code value} escaped so that {@code ${...}} substitution gives it back unchanged: a secret is never read as a
     * variable reference.
     */
    static String literal(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement("$" + m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void escapeAll(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : List.copyOf(object.properties())) {
                if (field.getValue().isTextual()) {
                    object.put(field.getKey(), literal(field.getValue().textValue()));
                } else {
                    escapeAll(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(literal(array.get(i).textValue())));
                } else {
                    escapeAll(array.get(i));
                }
            }
        }
    }

    private static String substitute(String text, String source) throws AbortException {
        try {
            return EnvironmentSubstitution.apply(text);
        } catch (ConfigException e) {
            throw new AbortException("codeDeploy: " + source + ": " + e.getMessage());
        }
    }

    private static void putIfSet(ObjectNode root, String section, String field, String value) throws AbortException {
        if (value != null) {
            JsonNode existing = root.get(section);
            ObjectNode object = existing instanceof ObjectNode o ? o : root.putObject(section);
            object.put(field, substitute(value, section + "." + field));
        }
    }

    private static void merge(ObjectNode target, ObjectNode update) {
        for (Map.Entry<String, JsonNode> field : update.properties()) {
            JsonNode current = target.get(field.getKey());
            if (current instanceof ObjectNode currentObject && field.getValue() instanceof ObjectNode updateObject) {
                merge(currentObject, updateObject);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    private static String readFile(String file) throws AbortException {
        Path path = Path.of(file);
        if (!path.isAbsolute()) {
            throw new AbortException("codeDeploy: the configuration file must be an absolute path on the controller, got '" + file + "'");
        }
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new AbortException("codeDeploy: cannot read the configuration file " + file + ": " + e);
        }
    }

    private static ObjectNode read(String yaml, String source) throws AbortException {
        JsonNode node;
        try {
            node = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new AbortException("codeDeploy: " + source + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new AbortException("codeDeploy: " + source + " must be a YAML mapping of sections (database, blobStore, ...)");
    }
}
