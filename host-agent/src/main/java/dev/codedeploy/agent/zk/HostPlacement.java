package dev.codedeploy.agent.zk;

/**
 * Who and where a host is, as its peers see it.
 *
 * @param host              its id
 * @param zone              its zone, or null
 * @param rack              its rack, or null
 * @param legacyPeerEntries also publish a peer entry per build in the previous, flat layout ({@code peers/<build>/<host>}),
 *                          where agents of the previous version look: only during an upgrade, with the shared identity
 */
public record HostPlacement(String host, String zone, String rack, boolean legacyPeerEntries) {

    /** A host without zone or rack, in the current layout only. */
    public static HostPlacement of(String host) {
        return new HostPlacement(host, null, null, false);
    }
}
