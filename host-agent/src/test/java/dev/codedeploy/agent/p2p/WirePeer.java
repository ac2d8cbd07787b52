package dev.codedeploy.agent.p2p;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A foreign BitTorrent client reduced to its wire protocol (BEP 3, BEP 10), on a plain socket: what another client
 * sends the agent, byte for byte.
 */
final class WirePeer implements AutoCloseable {

    static final int CHOKE = 0;
    static final int UNCHOKE = 1;
    static final int INTERESTED = 2;
    static final int NOT_INTERESTED = 3;
    static final int HAVE = 4;
    static final int BITFIELD = 5;
    static final int REQUEST = 6;
    static final int PIECE = 7;
    static final int EXTENDED = 20;

    /** A message as read: its id (-1 for keep-alive) and payload. */
    record Message(int id, byte[] payload) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    WirePeer(int port) throws IOException {
        this(port, 0);
    }

    /** A client whose socket receive buffer is {@code receiveBuffer} bytes (0: the system's). */
    WirePeer(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends raw bytes (an encrypted handshake's opening, say). */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends the plaintext handshake for {@code infoHash}, saying it speaks the extension protocol. */
    void handshake(byte[] infoHash) throws IOException {
        ByteBuffer hs = ByteBuffer.allocate(68);
        hs.put((byte) 19).put("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII));
        hs.put(new byte[] {0, 0, 0, 0, 0, 0x10, 0, 0});
        hs.put(infoHash);
        hs.put("-XX0001-foreignpeer1".getBytes(StandardCharsets.US_ASCII));
        sendRaw(hs.array());
    }

    /** Reads the other side's handshake and returns its info hash. */
    byte[] readHandshake() throws IOException {
        byte[] hs = new byte[68];
        in.readFully(hs);
        byte[] hash = new byte[20];
        System.arraycopy(hs, 28, hash, 0, 20);
        return hash;
    }

    void send(int id, byte[] payload) throws IOException {
        ByteBuffer message = ByteBuffer.allocate(5 + payload.length);
        message.putInt(1 + payload.length).put((byte) id).put(payload);
        sendRaw(message.array());
    }

    /** Asks for {@code length} bytes of {@code piece} from {@code offset}. */
    private void sendRequest(int piece, int offset, int length) throws IOException {
        send(REQUEST, ByteBuffer.allocate(12).putInt(piece).putInt(offset).putInt(length).array());
    }

    /** Asks for every block of {@code blockSize} bytes of pieces {@code from} to {@code to} (exclusive) of {@code pieceSize}. */
    void requestPieces(int from, int to, int pieceSize, int blockSize) throws IOException {
        for (int piece = from; piece < to; piece++) {
            for (int offset = 0; offset < pieceSize; offset += blockSize) {
                sendRequest(piece, offset, blockSize);
            }
        }
    }

    void sendHave(int piece) throws IOException {
        send(HAVE, ByteBuffer.allocate(4).putInt(piece).array());
    }

    /** The next message, or null when the other side closed the connection. */
    Message read() throws IOException {
        try {
            int length = in.readInt();
            if (length == 0) {
                return new Message(-1, new byte[0]);
            }
            int id = in.readUnsignedByte();
            byte[] payload = new byte[length - 1];
            in.readFully(payload);
            return new Message(id, payload);
        } catch (EOFException e) {
            return null;
        }
    }

    /** Whether the other side closed the connection within the socket timeout (reading and dropping what it sends). */
    boolean closedByOtherSide() throws IOException {
        try {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
