package dev.codedeploy.agent.p2p;

import bt.metainfo.TorrentId;
import bt.net.Peer;
import bt.net.PeerConnection;
import bt.protocol.Message;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer connection over a {@link NonBlockingChannelHandler} (bt's own {@code SocketPeerConnection} cannot be made
 * with another handler): what bt's does, plus {@link #writable()} for the {@link MessageLoop}.
 */
final class AgentPeerConnection implements PeerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(AgentPeerConnection.class);
    /** How often a blocking read looks for a message (bt's value). */
    private static final long WAIT_BETWEEN_READS_MILLIS = 100L;

    private final AtomicReference<TorrentId> torrentId = new AtomicReference<>();
    private final Peer remotePeer;
    private final int remotePort;
    private final NonBlockingChannelHandler handler;
    private final AtomicLong lastActive = new AtomicLong();

    AgentPeerConnection(Peer remotePeer, int remotePort, NonBlockingChannelHandler handler) {
        this.remotePeer = remotePeer;
        this.remotePort = remotePort;
        this.handler = handler;
    }

    /** Whether the socket has taken everything sent so far, so that more can be sent without waiting. */
    boolean writable() {
        return !handler.isClosed() && handler.writable();
    }

    @Override
    public TorrentId setTorrentId(TorrentId id) {
        return torrentId.getAndSet(id);
    }

    @Override
    public TorrentId getTorrentId() {
        return torrentId.get();
    }

    @Override
    public synchronized Message readMessageNow() {
        Message message = handler.receive();
        if (message != null) {
            lastActive.set(System.currentTimeMillis());
        }
        return message;
    }

    /** Waits up to {@code timeout} ms for a message (used while shaking hands), handing the socket pending bytes meanwhile. */
    @Override
    public synchronized Message readMessage(long timeout) throws IOException {
        long deadline = System.currentTimeMillis() + timeout;
        Message message = readMessageNow();
        while (message == null && !handler.isClosed()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            handler.flush();
            try {
                wait(Math.min(left, WAIT_BETWEEN_READS_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for a message from " + this, e);
            }
            message = readMessageNow();
        }
        return message;
    }

    @Override
    public void postMessage(Message message) {
        lastActive.set(System.currentTimeMillis());
        handler.send(message);
    }

    @Override
    public Peer getRemotePeer() {
        return remotePeer;
    }

    @Override
    public int getRemotePort() {
        return remotePort;
    }

    @Override
    public void closeQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Failed to close the connection to {}", this, e);
        }
    }

    @Override
    public void close() throws IOException {
        if (!isClosed()) {
            handler.close();
        }
    }

    @Override
    public boolean isClosed() {
        return handler.isClosed();
    }

    @Override
    public long getLastActive() {
        return lastActive.get();
    }

    @Override
    public String toString() {
        return remotePeer.getInetAddress() + ":" + remotePort + " (torrent " + torrentId.get() + ")";
    }
}
