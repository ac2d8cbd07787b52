package dev.codedeploy.sandbox.bench.fleet;

import dev.codedeploy.sandbox.cluster.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A regional ZooKeeper server in a process of its own ({@code ZooKeeperServerMain}), so that what it reports through
 * the {@code mntr} four-letter word is its traffic alone: ZooKeeper keeps most of its metrics per JVM, and the
 * benchmark's own JVM runs the master ensemble and every simulated host.
 */
public final class RegionalZooKeeper implements AutoCloseable {

    private final ChildProcess process;
    private final int port;

    private RegionalZooKeeper(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server with its data under {@code dir} and waits until it answers. */
    public static RegionalZooKeeper start(Path dir, String heap) {
        int port = freePort();
        try {
            Files.createDirectories(dir.resolve("data"));
            Path config = dir.resolve("zoo.cfg");
            Files.writeString(config, String.join("\n",
                    "tickTime=2000",
                    "dataDir=" + dir.resolve("data"),
                    "clientPort=" + port,
                    "clientPortAddress=127.0.0.1",
                    "maxClientCnxns=0",
                    "4lw.commands.whitelist=mntr,ruok",
                    "admin.enableServer=false",
                    // the default, said out loud: a response over 1 MB fails, which is what the layout avoids
                    "jute.maxbuffer=1048575",
                    ""));
            ChildProcess process = ChildProcess.start("zookeeper", "org.apache.zookeeper.server.ZooKeeperServerMain",
                    List.of(config.toString()), // the full JIT: ChildProcess starts JVMs with C1 only, which suits short-lived helpers, not a busy server
                    List.of("-Xmx" + heap, "-XX:TieredStopAtLevel=4", "-Dzookeeper.admin.enableServer=false"),
                    dir.resolve("zookeeper.log"));
            RegionalZooKeeper server = new RegionalZooKeeper(process, port);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (server.fourLetterWord("ruok").startsWith("imok")) {
                        return server;
                    }
                } catch (UncheckedIOException notYet) {
                    // still starting
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(200);
            }
            process.close();
            throw new IllegalStateException("ZooKeeper did not start; see " + dir.resolve("zookeeper.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ZooKeeper started", e);
        }
    }

    /** {@code 127.0.0.1:port}. */
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    /** The server's {@code mntr} figures, by name ({@code zk_packets_received}, ...); non-numeric ones are left out. */
    public Map<String, Double> mntr() {
        Map<String, Double> figures = new LinkedHashMap<>();
        for (String line : fourLetterWord("mntr").split("\n")) {
            String[] parts = line.split("\t");
            if (parts.length == 2 && NUMBER.matcher(parts[1].trim()).matches()) {
                figures.put(parts[0].trim(), Double.parseDouble(parts[1].trim()));
            }
        }
        return figures;
    }

    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private String fourLetterWord(String word) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot ask ZooKeeper on port " + port + " for " + word + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
