package dev.codedeploy.sandbox.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * A small data centre made of Linux network namespaces (needs root): a bridge in this namespace, an {@code origin}
 * namespace (the regional blob store and seeder) and one namespace per host, each joined to the bridge by a veth
 * pair whose two ends can be rate-limited with {@code tc} (tbf), so that every node has the same upload and download
 * limit. Everything it creates is deleted by {@link #close()} (also from a shutdown hook, and when creation fails
 * half-way).
 *
 * <pre>
 *            bridge &lt;p&gt;br  10.X.0.1 (this namespace: ZooKeeper)
 *        ┌──────────┼───────────┬─────────── ...
 *   veth │tbf       │tbf        │tbf
 *   &lt;p&gt;-origin   &lt;p&gt;-h1      &lt;p&gt;-h2    ...
 *   10.X.0.2      10.X.0.11   10.X.0.12
 * </pre>
 */
public final class VethNetwork implements AutoCloseable {

    private final String prefix;
    private final String subnet;
    private final int hosts;
    private final List<List<String>> undo = new ArrayList<>();
    private final Thread cleanup = new Thread(this::close, "veth-network-cleanup");
    private boolean closed;

    private VethNetwork(String prefix, String subnet, int hosts) {
        this.prefix = prefix;
        this.subnet = subnet;
        this.hosts = hosts;
    }

    /** Creates the bridge, the origin and {@code hosts} host namespaces. */
    public static VethNetwork create(int hosts) {
        long pid = ProcessHandle.current().pid();
        VethNetwork network = new VethNetwork("cd" + Long.toString(pid % 1296, 36), "10." + (100 + pid % 100) + ".0", hosts);
        Runtime.getRuntime().addShutdownHook(network.cleanup);
        try {
            network.build();
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    private void build() {
        String bridge = prefix + "br";
        run(List.of("ip", "link", "add", bridge, "type", "bridge"), List.of("ip", "link", "del", bridge));
        run(List.of("ip", "addr", "add", bridgeAddress() + "/24", "dev", bridge), null);
        run(List.of("ip", "link", "set", bridge, "up"), null);
        node(originNamespace(), prefix + "o", originAddress());
        for (int i = 1; i <= hosts; i++) {
            node(hostNamespace(i), prefix + "h" + i, hostAddress(i));
        }
    }

    private void node(String namespace, String veth, String address) {
        run(List.of("ip", "netns", "add", namespace), List.of("ip", "netns", "del", namespace));
        // the namespace end is created as <veth>, the bridge end as <veth>r; deleting either deletes both
        run(List.of("ip", "link", "add", veth, "type", "veth", "peer", "name", veth + "r"), List.of("ip", "link", "del", veth + "r"));
        run(List.of("ip", "link", "set", veth, "netns", namespace), null);
        run(List.of("ip", "link", "set", veth + "r", "master", prefix + "br"), null);
        run(List.of("ip", "link", "set", veth + "r", "up"), null);
        run(List.of("ip", "netns", "exec", namespace, "ip", "addr", "add", address + "/24", "dev", veth), null);
        run(List.of("ip", "netns", "exec", namespace, "ip", "link", "set", veth, "up"), null);
        run(List.of("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up"), null);
    }

    /** Limits every link to {@code mbit} Mbit/s in each direction (tbf on both ends of each veth pair). */
    public void limit(int mbit) {
        List<String> nodes = new ArrayList<>();
        nodes.add(originNamespace() + " " + prefix + "o");
        for (int i = 1; i <= hosts; i++) {
            nodes.add(hostNamespace(i) + " " + prefix + "h" + i);
        }
        for (String node : nodes) {
            String namespace = node.split(" ")[0];
            String veth = node.split(" ")[1];
            List<String> tbf = List.of("root", "tbf", "rate", mbit + "mbit", "burst", "256kb", "latency", "100ms");
            List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "tc", "qdisc", "replace", "dev", veth));
            inside.addAll(tbf);
            run(inside, null);
            List<String> outside = new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", veth + "r"));
            outside.addAll(tbf);
            run(outside, null);
        }
    }

    /** The bridge's address, where this namespace's servers listen. */
    public String bridgeAddress() {
        return subnet + ".1";
    }

    /** The origin namespace (blob store and seeder). */
    public String originNamespace() {
        return prefix + "-origin";
    }

    /** The origin's address. */
    public String originAddress() {
        return subnet + ".2";
    }

    /** Host {@code i}'s namespace, 1-based. */
    public String hostNamespace(int i) {
        return prefix + "-h" + i;
    }

    /** Host {@code i}'s address, 1-based. */
    public String hostAddress(int i) {
        return subnet + "." + (10 + i);
    }

    private void run(List<String> command, List<String> reverse) {
        Shell.run(command);
        if (reverse != null) {
            undo.add(0, reverse);
        }
    }

    /** Deletes every namespace, link and qdisc it made (qdiscs go with their links). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (List<String> command : undo) {
            Shell.quietly(command);
        }
        if (Thread.currentThread() != cleanup) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException exiting) {
                // the JVM is shutting down
            }
        }
    }
}
