package dev.codedeploy.agent.p2p;

import bt.net.DataReceiver;
import bt.net.DataReceivingLoop;
import bt.net.pipeline.ChannelHandlerContext;
import bt.net.pipeline.ChannelPipeline;
import bt.protocol.InvalidMessageException;
import com.google.inject.Inject;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bt's loop that reads peer connections, bound in place of bt's own by {@link BtModule}, with two differences: a peer
 * that sends what is not BitTorrent's plaintext protocol is disconnected with one debug line, and each read tells
 * the {@link MessageLoop} that data has arrived ({@link DataArrival}).
 *
 * <p>The agent speaks plaintext BitTorrent only. Another client that opens with an encrypted handshake (BEP 8's
 * message stream encryption: 96 bytes of Diffie-Hellman key and padding) makes bt's decoder throw; bt's loop logged
 * that as an ERROR with a 25-line stack trace for every attempt. Here the connection is closed as bt closes any
 * connection whose data it cannot read, and the loop is told the connection is over ({@link EOFException}), which
 * it takes quietly.
 */
final class QuietReceiver implements DataReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(QuietReceiver.class);

    private final DataReceiver bt;
    private final DataArrival arrival;

    @Inject
    QuietReceiver(DataReceivingLoop bt, DataArrival arrival) {
        this.bt = bt;
        this.arrival = arrival;
    }

    @Override
    public void registerChannel(SelectableChannel channel, ChannelHandlerContext context) {
        bt.registerChannel(channel, new Context(channel, context, arrival));
    }

    @Override
    public void unregisterChannel(SelectableChannel channel) {
        bt.unregisterChannel(channel);
    }

    @Override
    public void activateChannel(SelectableChannel channel) {
        bt.activateChannel(channel);
    }

    @Override
    public void deactivateChannel(SelectableChannel channel) {
        bt.deactivateChannel(channel);
    }

    private record Context(SelectableChannel channel, ChannelHandlerContext bt, DataArrival arrival) implements ChannelHandlerContext {

        @Override
        public ChannelPipeline pipeline() {
            return bt.pipeline();
        }

        @Override
        public boolean readFromChannel() throws IOException {
            try {
                boolean read = bt.readFromChannel();
                arrival.signal();
                return read;
            } catch (RuntimeException e) {
                InvalidMessageException invalid = invalidMessage(e);
                if (invalid == null) {
                    throw e;
                }
                // bt has closed the channel already
                LOG.debug("disconnected {}: not plaintext BitTorrent (an encrypted handshake?): {}", remote(), invalid.getMessage());
                throw new EOFException("not plaintext BitTorrent");
            }
        }

        /** bt's decoder throws InvalidMessageException, which bt's pipeline wraps in a RuntimeException. */
        private static InvalidMessageException invalidMessage(Throwable e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof InvalidMessageException invalid) {
                    return invalid;
                }
            }
            return null;
        }

        private String remote() {
            try {
                return channel instanceof SocketChannel socket ? String.valueOf(socket.getRemoteAddress()) : "a peer";
            } catch (IOException | RuntimeException e) {
                return "a peer";
            }
        }

        @Override
        public void fireChannelRegistered() {
            bt.fireChannelRegistered();
        }

        @Override
        public void fireChannelUnregistered() {
            bt.fireChannelUnregistered();
        }

        @Override
        public void fireChannelActive() {
            bt.fireChannelActive();
        }

        @Override
        public void fireChannelInactive() {
            bt.fireChannelInactive();
        }

        @Override
        public void fireDataReceived() {
            bt.fireDataReceived();
        }
    }
}
