package dev.codedeploy.cli;

import dev.codedeploy.config.ConfigException;
import dev.codedeploy.release.ReleaseKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code codedeploy keys}: the control plane's release signing keys. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Make the Ed25519 key pair releases are signed with.",
        subcommands = KeysCommand.Generate.class)
final class KeysCommand {

    /**
     * {@code codedeploy keys generate --key-id ID}: writes {@code ID.key} (the private key, mode 0600) and {@code ID.pub}
     * (mode 0644), both base64 text as the configuration takes them, and prints the lines to paste into the server's
     * {@code rollout:} and the agents' {@code releasePublicKeys:}. An existing file is never overwritten without
     * {@code --force}.
     */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Write a new Ed25519 key pair: ID.key (private, mode 0600) and ID.pub, and print the configuration",
                    "lines that use it. For a rotation, see docs/operations.md (Keys and secrets)."})
    static final class Generate implements Callable<Integer> {

        @Option(names = "--key-id", required = true, paramLabel = "ID",
                description = "The id records signed with this key carry (rollout.keyId), e.g. control-2026: 1 to 64 letters, digits, . _ -")
        String keyId;

        @Option(names = {"-d", "--dir"}, paramLabel = "DIR", defaultValue = ".", description = "Where to write the files (default: here).")
        Path dir;

        @Option(names = "--force", description = "Overwrite existing files of this key id.")
        boolean force;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (keyId == null || !keyId.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new ConfigException("--key-id '" + keyId + "' is not valid: 1 to 64 of letters, digits, '.', '_' and '-'");
            }
            Path privateFile = dir.resolve(keyId + ".key");
            Path publicFile = dir.resolve(keyId + ".pub");
            for (Path file : new Path[] {privateFile, publicFile}) {
                if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !force) {
                    throw new ConfigException(file + " exists: keep it, choose another --key-id, or give --force to replace it");
                }
            }
            KeyPair pair = ReleaseKeys.generate();
            String publicKey = ReleaseKeys.encode(pair.getPublic());
            write(privateFile, ReleaseKeys.encode(pair.getPrivate()), "rw-------");
            write(publicFile, publicKey, "rw-r--r--");
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + privateFile + " (private, mode 0600: keep it only where releases are published) and " + publicFile);
            out.println();
            out.println("public key " + keyId + ": " + publicKey);
            out.println();
            out.println("the servers that publish (server.yml), with CODEDEPLOY_SIGNING_KEY=<the content of " + privateFile.getFileName()
                    + "> in their environment (e.g. /etc/codedeploy/server.env):");
            out.println();
            out.println("rollout:");
            out.println("  signingKey: ${CODEDEPLOY_SIGNING_KEY}");
            out.println("  publicKey: " + publicKey);
            out.println("  keyId: " + keyId);
            out.println();
            out.println("every agent and seeder (agent.yml, seeder.yml), next to the ids they already hold while keys rotate:");
            out.println();
            out.println("releasePublicKeys:");
            out.println("  " + keyId + ": " + publicKey);
            out.flush();
            return CodeDeployCli.OK;
        }

        private static void write(Path file, String text, String permissions) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.deleteIfExists(file);
                // created with its permissions: the private key is never readable by others, not even for a moment
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
                Files.writeString(file, text + "\n", StandardCharsets.US_ASCII);
            } catch (FileAlreadyExistsException e) {
                throw new ConfigException(file + " appeared while writing it: nothing overwritten");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
