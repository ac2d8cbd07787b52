package dev.codedeploy.ghaction;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes whole lines to another stream with every known secret replaced by {@code ***}. The runner masks what
 * {@code ::add-mask::} named too; this covers anything printed before a mask reached it, and runs outside Actions.
 * A line is held until its end (or {@link #close()}), so a secret is never split across two writes.
 */
final class MaskingOutputStream extends OutputStream {

    private final OutputStream raw;
    private final Secrets secrets;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    MaskingOutputStream(OutputStream raw, Secrets secrets) {
        this.raw = raw;
        this.secrets = secrets;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') {
            emit();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i + 1 - start);
                emit();
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
    }

    @Override
    public synchronized void flush() throws IOException {
        raw.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        emit();
        raw.flush();
    }

    private void emit() throws IOException {
        if (line.size() == 0) {
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        raw.write(secrets.mask(text).getBytes(StandardCharsets.UTF_8));
        raw.flush();
    }
}
