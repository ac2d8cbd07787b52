package dev.codedeploy.agent.p2p;

import bt.event.EventSource;
import bt.metainfo.TorrentId;
import bt.net.ConnectionHandler;
import bt.net.ConnectionResult;
import bt.net.DataReceiver;
import bt.net.IConnectionHandlerFactory;
import bt.net.IPeerConnectionFactory;
import bt.net.Peer;
import bt.net.buffer.BorrowedBuffer;
import bt.net.buffer.IBufferManager;
import bt.net.pipeline.ChannelPipeline;
import bt.net.pipeline.ChannelPipelineBuilder;
import bt.net.pipeline.IChannelPipelineFactory;
import bt.protocol.Message;
import bt.protocol.handler.MessageHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens and accepts peer connections as bt's {@code PeerConnectionFactory} does, over a {@link NonBlockingChannelHandler}
 * and as {@link AgentPeerConnection}s. Plaintext only: the agent turns message-stream encryption off, so bt's factory
 * negotiated nothing either ({@link BtSelfTest} checks the setting).
 */
final class AgentConnectionFactory implements IPeerConnectionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(AgentConnectionFactory.class);
    private static final int SOCKET_TIMEOUT_MILLIS = 30_000;

    private final Selector selector;
    private final IConnectionHandlerFactory handlers;
    private final IChannelPipelineFactory pipelines;
    private final MessageHandler<Message> protocol;
    private final IBufferManager buffers;
    private final DataReceiver receiver;
    private final EventSource events;
    private final InetSocketAddress localAddress;

    AgentConnectionFactory(Selector selector, IConnectionHandlerFactory handlers, IChannelPipelineFactory pipelines,
                           MessageHandler<Message> protocol, IBufferManager buffers, DataReceiver receiver, EventSource events,
                           InetSocketAddress localAddress) {
        this.selector = selector;
        this.handlers = handlers;
        this.pipelines = pipelines;
        this.protocol = protocol;
        this.buffers = buffers;
        this.receiver = receiver;
        this.events = events;
        this.localAddress = localAddress;
    }

    @Override
    public ConnectionResult createOutgoingConnection(Peer peer, TorrentId torrentId) {
        Objects.requireNonNull(peer);
        Objects.requireNonNull(torrentId);
        SocketChannel channel;
        try {
            channel = selector.provider().openSocketChannel();
            channel.socket().bind(localAddress);
            channel.socket().setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            channel.socket().setSoLinger(false, 0);
            channel.connect(new InetSocketAddress(peer.getInetAddress(), peer.getPort()));
        } catch (IOException e) {
            LOG.debug("Failed to connect to peer {}: {}", peer, e.toString());
            return ConnectionResult.failure("I/O error", e);
        }
        return create(peer, torrentId, channel, false);
    }

    @Override
    public ConnectionResult createIncomingConnection(Peer peer, SocketChannel channel) {
        return create(peer, null, channel, true);
    }

    private ConnectionResult create(Peer peer, TorrentId torrentId, SocketChannel channel, boolean incoming) {
        BorrowedBuffer<ByteBuffer> in = buffers.borrowByteBuffer();
        BorrowedBuffer<ByteBuffer> out = buffers.borrowByteBuffer();
        try {
            channel.configureBlocking(false);
            ChannelPipelineBuilder builder = pipelines.buildPipeline(peer);
            builder.channel(channel);
            builder.protocol(protocol);
            builder.inboundBuffer(in);
            builder.outboundBuffer(out);
            ChannelPipeline pipeline = builder.build();
            NonBlockingChannelHandler socket = new NonBlockingChannelHandler(channel, in, out, pipeline::bindHandler, receiver);
            socket.register();
            int remotePort = ((InetSocketAddress) channel.getRemoteAddress()).getPort();
            AgentPeerConnection connection = new AgentPeerConnection(peer, remotePort, socket);
            ConnectionHandler handshake = incoming ? handlers.getIncomingHandler() : handlers.getOutgoingHandler(torrentId);
            if (!handshake.handleConnection(connection)) {
                // the reason, if any, was logged where it was found (a foreign protocol: one debug line)
                LOG.trace("Handshake with peer {}:{} failed", peer.getInetAddress(), remotePort);
                connection.closeQuietly();
                return ConnectionResult.failure("Handshake failed");
            }
            events.onTorrentStarted(connection.getTorrentId(), event -> socket.activate());
            events.onTorrentStopped(connection.getTorrentId(), event -> socket.deactivate());
            return ConnectionResult.success(connection);
        } catch (Exception e) {
            LOG.debug("Failed to establish a connection with peer {}: {}", peer, e.toString());
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a channel that failed; nothing more to do
            }
            release(in);
            release(out);
            return ConnectionResult.failure("Unexpected error", e);
        }
    }

    private static void release(BorrowedBuffer<ByteBuffer> buffer) {
        try {
            buffer.release();
        } catch (Exception e) {
            LOG.error("Failed to release buffer", e);
        }
    }
}
