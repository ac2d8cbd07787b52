package dev.codedeploy.agent.p2p;

import bt.net.DataReceiver;
import bt.net.buffer.BorrowedBuffer;
import bt.net.pipeline.ChannelHandler;
import bt.net.pipeline.ChannelHandlerContext;
import bt.protocol.Message;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer connection's socket, as bt's {@code SocketChannelHandler} with one difference: writing never spins. bt wrote
 * each message by calling {@code write} until the socket had taken all of it, so a peer whose path was full (its
 * download link shared by several uploaders, say) held bt's one dispatcher thread in a loop of empty writes, every
 * other connection waiting behind it: three quarters of that thread's time on agents under load. Here a write hands
 * the kernel what it takes and keeps the rest; {@link #writable()} says whether the socket has caught up, and the
 * {@link MessageLoop} gives a connection new messages only then.
 */
final class NonBlockingChannelHandler implements ChannelHandler {

    private static final Logger LOG = LoggerFactory.getLogger(NonBlockingChannelHandler.class);
    /** The longest pause between two tries when a message must wait for room (only a message larger than the room left). */
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final SocketChannel channel;
    private final BorrowedBuffer<ByteBuffer> inbound;
    private final BorrowedBuffer<ByteBuffer> outbound;
    private final ChannelHandlerContext context;
    private final DataReceiver receiver;
    private final Object inboundLock = new Object();
    private final Object outboundLock = new Object();
    private final AtomicBoolean shutdown = new AtomicBoolean();
    private volatile boolean closing;
    /** Bytes encoded and not yet taken by the socket (guarded by outboundLock). */
    private volatile int pending;

    NonBlockingChannelHandler(SocketChannel channel, BorrowedBuffer<ByteBuffer> inbound, BorrowedBuffer<ByteBuffer> outbound,
                              Function<ChannelHandler, ChannelHandlerContext> contextFactory, DataReceiver receiver) {
        this.channel = channel;
        this.inbound = inbound;
        this.outbound = outbound;
        this.context = contextFactory.apply(this);
        this.receiver = receiver;
    }

    /**
     * Encodes {@code message} behind what is pending and hands the socket what it takes now. Only when the message
     * does not fit in the room left does this wait (in pauses, not a spin) for the socket to take enough.
     */
    @Override
    public void send(Message message) {
        long pause = 10_000;
        while (!context.pipeline().encode(message)) {
            if (closing || shutdown.get()) {
                throw new IllegalStateException("connection closed; not sent: " + message);
            }
            if (flushOnce() == 0) {
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
            }
        }
        flushOnce();
    }

    @Override
    public Message receive() {
        return context.pipeline().decode();
    }

    @Override
    public boolean read() throws IOException {
        try {
            synchronized (inboundLock) {
                ByteBuffer buffer = inbound.lockAndGet();
                if (buffer == null) {
                    // released by a close after the selector had picked this channel
                    throw new EOFException("the connection is closed");
                }
                try {
                    do {
                        int last;
                        while ((last = channel.read(buffer)) > 0) {
                            // read all the socket holds, or until the buffer is full
                        }
                        boolean full = !buffer.hasRemaining();
                        context.fireDataReceived();
                        if (last == -1) {
                            throw new EOFException();
                        } else if (!full) {
                            return true;
                        }
                    } while (buffer.hasRemaining());
                    return false;
                } finally {
                    inbound.unlock();
                }
            }
        } catch (RuntimeException | IOException e) {
            shutdown();
            throw e;
        }
    }

    @Override
    public void register() {
        receiver.registerChannel(channel, context);
        context.fireChannelRegistered();
    }

    @Override
    public void unregister() {
        receiver.unregisterChannel(channel);
        context.fireChannelUnregistered();
    }

    @Override
    public void activate() {
        receiver.activateChannel(channel);
        context.fireChannelActive();
    }

    @Override
    public void deactivate() {
        receiver.deactivateChannel(channel);
        context.fireChannelInactive();
    }

    /** Hands the socket what it takes of the pending bytes now, without waiting. */
    @Override
    public void flush() {
        flushOnce();
    }

    /** Whether every encoded byte has been handed to the socket (after handing it what it takes now). */
    boolean writable() {
        if (pending > 0) {
            flushOnce();
        }
        return pending == 0;
    }

    /** Writes until the socket takes no more; returns the bytes written, or -1 once closed. */
    private int flushOnce() {
        synchronized (outboundLock) {
            ByteBuffer buffer = outbound.lockAndGet();
            if (buffer == null) {
                return -1; // released: the connection is closed
            }
            int written = 0;
            buffer.flip();
            try {
                int last;
                while (buffer.hasRemaining() && !closing && (last = channel.write(buffer)) > 0) {
                    written += last;
                }
                pending = buffer.remaining();
                buffer.compact();
                outbound.unlock();
                return written;
            } catch (IOException e) {
                outbound.unlock(); // not in a finally block: shutdown() releases the buffer
                shutdown();
                throw new UncheckedIOException("Unexpected I/O error", e);
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        synchronized (inboundLock) {
            synchronized (outboundLock) {
                shutdown();
            }
        }
    }

    private void shutdown() {
        if (shutdown.compareAndSet(false, true)) {
            try {
                unregister();
            } catch (Exception e) {
                LOG.error("Failed to unregister channel", e);
            }
            try {
                channel.close();
            } catch (IOException e) {
                LOG.error("Failed to close channel", e);
            }
            release(inbound);
            release(outbound);
        }
    }

    private static void release(BorrowedBuffer<ByteBuffer> buffer) {
        try {
            buffer.release();
        } catch (Exception e) {
            LOG.error("Failed to release buffer", e);
        }
    }

    @Override
    public boolean isClosed() {
        return shutdown.get();
    }
}
