package dev.codedeploy.agent.p2p;

import bt.net.SharedSelector;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;

/**
 * bt's peer-connection selector, bound in place of bt's own by {@link BtModule}: a new connection is registered at
 * once instead of after bt's lock dance.
 *
 * <p>bt 1.10's {@link SharedSelector} makes a thread that registers a connection spin on a read lock that its selector
 * thread holds during every select and takes again at once, waking the selector up each time round, until it catches
 * the instant between two selects. On two busy cores that took over 30 s: the seeder never read an accepted
 * connection's handshake, both sides waited for their 30 s handshake timeout, and a download made no progress for a
 * minute. Since Java 11 a registration never waits for a select in progress (the next select sees it), so none of
 * that is needed: register, then wake the selector so that its next select, at once, includes the new channel.
 */
final class RegisteringSelector extends SharedSelector {

    private final Selector delegate;

    RegisteringSelector(Selector delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    @Override
    public void wakeupAndRegister(SelectableChannel channel, int ops, Object attachment) {
        try {
            channel.register(delegate, ops, attachment);
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("the connection closed before it was registered", e);
        }
        delegate.wakeup();
    }
}
