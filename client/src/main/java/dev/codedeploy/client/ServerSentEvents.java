package dev.codedeploy.client;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads a {@code text/event-stream} (the W3C server-sent events format): {@code id:}, {@code event:} and
 * {@code data:} lines, an empty line ending each event, {@code :} lines being comments (keep-alives), which reach
 * the sink as events of type {@value #COMMENT}, so that a reader notices time passing on an idle stream.
 */
final class ServerSentEvents {

    /**
     * One event.
     *
     * @param id   its id, or null
     * @param type its type ({@code message} when none was given)
     * @param data its data lines joined by newlines
     */
    record Event(String id, String type, String data) {
    }

    /** The type a comment line reaches the sink with. */
    static final String COMMENT = ":comment";

    private ServerSentEvents() {
    }

    /**
     * Reads events until the stream ends or {@code sink} returns false.
     *
     * @return true when {@code sink} asked to stop, false when the stream ended
     */
    static boolean read(BufferedReader in, EventSink sink) throws IOException {
        try {
            return read((LineSource) in::readLine, sink);
        } catch (InterruptedException e) {
            // a BufferedReader is never interrupted this way
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /**
     * Reads events from {@code in} as {@link #read(BufferedReader, EventSink)} does.
     *
     * @return true when {@code sink} asked to stop, false when the stream ended
     */
    static boolean read(LineSource in, EventSink sink) throws IOException, InterruptedException {
        String id = null;
        String type = null;
        StringBuilder data = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null && !sink.accept(new Event(id, type == null ? "message" : type, data.toString()))) {
                    return true;
                }
                id = null;
                type = null;
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                if (!sink.accept(new Event(null, COMMENT, line.substring(1).strip()))) {
                    return true;
                }
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> type = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { } // retry and unknown fields: ignored, as the format says
            }
        }
        return false;
    }

    /** Gives the stream's lines, null at its end. */
    @FunctionalInterface
    interface LineSource {
        String readLine() throws IOException, InterruptedException;
    }

    /** Receives events; returns false to stop reading. */
    @FunctionalInterface
    interface EventSink {
        boolean accept(Event event) throws IOException;
    }
}
