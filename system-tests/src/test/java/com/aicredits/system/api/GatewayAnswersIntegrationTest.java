package com.aicredits.system.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.system.stack.ReliabilityStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the local stack answers before any route, over raw HTTP (a client library would refuse to send these): what
 * the HTTP server cannot parse or route is answered with API Gateway's own bodies, never a server's HTML page.
 */
@Tag("reliability")
class GatewayAnswersIntegrationTest {
    private static final ReliabilityStack api = ReliabilityStack.shared();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            GET  | /v1/workspaces/%zz                 | 400 | {"message":"Bad Request"}
            GET  | /v1/workspaces/ws-rel-a/usage%     | 400 | {"message":"Bad Request"}
            GET  | /v1/workspaces/ws-rel-a/usage?period=%zz | 400 | {"message":"Bad Request"}
            GET  | /v1/workspaces/%uFF41/usage        | 400 | {"message":"Bad Request"}
            GET  | *                                  | 400 | {"message":"Bad Request"}
            GET  | v1/workspaces                      | 400 | {"message":"Bad Request"}
            GET  | /v1/nothing-here                   | 404 | {"message":"Not Found"}
            POST | /v1/workspaces/ws-rel-a/usage      | 404 | {"message":"Not Found"}
            GET  | /v2/workspaces/ws-rel-a            | 404 | {"message":"Not Found"}
            """)
    void whatNoRouteCanTakeIsAnsweredAsApiGatewayAnswersIt(String method, String target, int status, String body) throws IOException {
        Raw reply = raw(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.body()).isEqualTo(body);
        assertThat(reply.headers()).containsIgnoringCase("content-type: application/json").doesNotContainIgnoringCase("server:");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "..."})
    void aWorkspaceIdOfDotsOnlyIsA400OnReadAndWriteAndCreatesNothing(String dots) {
        String admin = api.token("admin", null);
        Map<String, ?> before = api.snapshot();

        ReliabilityStack.Reply read = api.send("GET", "/v1/workspaces/" + dots, admin, null);
        ReliabilityStack.Reply write = api.send("PUT", "/v1/workspaces/" + dots, admin,
                "{\"organizationId\":\"org-rel-a\",\"name\":\"Dots\",\"tier\":\"DEV\"}");

        assertThat(read.status()).as(read.body()).isEqualTo(400);
        assertThat(read.errorCode()).isEqualTo("invalid_workspaceId");
        assertThat(write.status()).as(write.body()).isEqualTo(400);
        assertThat(write.json().at("/error/message").asText()).contains("must not be only dots");
        api.settle();
        assertThat(api.snapshot()).isEqualTo(before);
    }

    private record Raw(int status, String headers, String body) {
        String text() {
            return headers + "\r\n\r\n" + body;
        }
    }

    private static Raw raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(api.base.substring(api.base.lastIndexOf(':') + 1)))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String[] parts = text.split("\r\n\r\n", 2);
            int status = Integer.parseInt(parts[0].split(" ", 3)[1]);
            return new Raw(status, parts[0], parts.length > 1 ? parts[1] : "");
        }
    }
}
