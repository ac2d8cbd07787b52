package dev.codedeploy.agent.p2p;

import com.google.common.util.concurrent.RateLimiter;

/**
 * What {@link AgentDispatcher} enforces on the wire.
 *
 * @param uploadLimit      bytes per second of pieces sent to peers, over all connections, or null for no limit
 * @param superSeed        whether this host super-seeds (the regional seeder): see {@link SuperSeeding}
 * @param superSeedPerPeer pieces offered to a host at a time while super-seeding
 */
record WirePolicy(RateLimiter uploadLimit, boolean superSeed, int superSeedPerPeer) {
}
