package dev.codedeploy.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

    @Test
    void eventsCommentsAndMultiLineDataAreReadAsTheFormatSays() throws Exception {
        String stream = """
                : keep-alive

                id: 7
                event: deploy
                data: {"a":1}

                data: line one
                data: line two
                retry: 1000

                id: 9
                event: end
                data: {}

                id: 10
                event: deploy
                data: never read
                """;
        List<ServerSentEvents.Event> seen = new ArrayList<>();
        boolean stopped = ServerSentEvents.read(new BufferedReader(new StringReader(stream)), e -> {
            seen.add(e);
            return !e.type().equals("end");
        });

        assertThat(stopped).isTrue();
        assertThat(seen).containsExactly(new ServerSentEvents.Event(null, ServerSentEvents.COMMENT, "keep-alive"),
                new ServerSentEvents.Event("7", "deploy", "{\"a\":1}"),
                new ServerSentEvents.Event(null, "message", "line one\nline two"),
                new ServerSentEvents.Event("9", "end", "{}"));
    }

    @Test
    void aStreamThatEndsWithoutAnEndEventSaysSo() throws Exception {
        boolean stopped = ServerSentEvents.read(new BufferedReader(new StringReader("id: 1\nevent: deploy\ndata: x\n\n")), e -> true);
        assertThat(stopped).isFalse();
    }
}
