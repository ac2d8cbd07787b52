package dev.codedeploy.agent.p2p;

import bt.data.Storage;
import bt.data.StorageUnit;
import bt.metainfo.Torrent;
import bt.metainfo.TorrentFile;
import bt.net.buffer.ByteBufferView;
import com.google.common.util.concurrent.RateLimiter;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A bt {@link Storage} whose writes pass a rate limiter, which caps how fast the host downloads (bt has no rate
 * limits of its own): pieces arrive no faster than they can be written. Reads, which serve peers, are not limited.
 */
final class ThrottledStorage implements Storage {

    private final Storage delegate;
    private final RateLimiter bytesPerSecond;

    ThrottledStorage(Storage delegate, RateLimiter bytesPerSecond) {
        this.delegate = delegate;
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public StorageUnit getUnit(Torrent torrent, TorrentFile torrentFile) {
        return new Unit(delegate.getUnit(torrent, torrentFile));
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    private final class Unit implements StorageUnit {
        private final StorageUnit unit;

        Unit(StorageUnit unit) {
            this.unit = unit;
        }

        private void pace(int bytes) {
            if (bytes > 0) {
                bytesPerSecond.acquire(bytes);
            }
        }

        @Override
        public int readBlock(ByteBuffer buffer, long offset) {
            return unit.readBlock(buffer, offset);
        }

        @Override
        public void readBlockFully(ByteBuffer buffer, long offset) {
            unit.readBlockFully(buffer, offset);
        }

        @Override
        public int writeBlock(ByteBuffer buffer, long offset) {
            pace(buffer.remaining());
            return unit.writeBlock(buffer, offset);
        }

        @Override
        public void writeBlockFully(ByteBuffer buffer, long offset) {
            pace(buffer.remaining());
            unit.writeBlockFully(buffer, offset);
        }

        @Override
        public int writeBlock(ByteBufferView buffer, long offset) {
            pace(buffer.remaining());
            return unit.writeBlock(buffer, offset);
        }

        @Override
        public void writeBlockFully(ByteBufferView buffer, long offset) {
            pace(buffer.remaining());
            unit.writeBlockFully(buffer, offset);
        }

        @Override
        public long capacity() {
            return unit.capacity();
        }

        @Override
        public long size() {
            return unit.size();
        }

        @Override
        public void close() throws IOException {
            unit.close();
        }
    }
}
