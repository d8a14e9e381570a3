package com.aicredits.emulation.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's HTTP/1.1 as the SDKs and the CLI use it (RFC 9112): keep-alive, bodies by length or in chunks,
 * {@code Expect: 100-continue}, {@code Connection: close}, and clear refusals of what is not HTTP. Raw sockets, so
 * that each case sends exactly the bytes it names.
 */
class LoopbackHttpServerTest {
    private LoopbackHttpServer server;

    @BeforeEach
    void start() {
        // Echoes the method, target and body, so a case can see what the server read.
        server = new LoopbackHttpServer(0, request -> new LoopbackHttpServer.Response(200, Map.of("X-Target", request.target()),
                (request.method() + " " + new String(request.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(Socket socket, String bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One answer: its status line, then its body by Content-Length. */
    private static String[] answer(InputStream in) throws IOException {
        String status = line(in);
        int length = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).strip());
            }
        }
        return new String[] {status, new String(in.readNBytes(length), StandardCharsets.UTF_8)};
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void two_requests_on_one_kept_alive_connection_get_two_answers_in_order() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            // Pipelined: both requests before reading either answer.
            send(socket, "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\none" + "POST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\ntwo");
            assertThat(answer(in)).containsExactly("HTTP/1.1 200 OK", "POST one");
            assertThat(answer(in)).containsExactly("HTTP/1.1 200 OK", "POST two");
        }
    }

    @Test
    void a_body_sent_in_pieces_is_read_whole() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "POST / HTTP/1.1\r\nContent-Length: 11\r\n");
            Thread.sleep(20);
            send(socket, "\r\nhello ");
            Thread.sleep(20);
            send(socket, "world");
            assertThat(answer(socket.getInputStream())).containsExactly("HTTP/1.1 200 OK", "POST hello world");
        }
    }

    @Test
    void a_chunked_body_is_read_to_its_last_chunk_extensions_and_trailers_ignored() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n");
            assertThat(answer(socket.getInputStream())).containsExactly("HTTP/1.1 200 OK", "POST hello world");
        }
    }

    @Test
    void expect_100_continue_is_answered_before_the_body_is_read() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            send(socket, "POST / HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
            assertThat(line(in)).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(line(in)).isEmpty();
            send(socket, "ok");
            assertThat(answer(in)).containsExactly("HTTP/1.1 200 OK", "POST ok");
        }
    }

    @Test
    void connection_close_ends_the_connection_after_the_answer() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = socket.getInputStream();
            send(socket, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
            assertThat(answer(in)).containsExactly("HTTP/1.1 200 OK", "GET ");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void what_is_not_http_is_refused_with_400_and_the_connection_closed() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = socket.getInputStream();
            send(socket, "HELLO\r\n\r\n");
            assertThat(answer(in)[0]).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(in.read()).isEqualTo(-1);
        }
        try (Socket socket = connect()) {
            send(socket, "POST / HTTP/1.1\r\nContent-Length: many\r\n\r\n");
            assertThat(answer(socket.getInputStream())[0]).isEqualTo("HTTP/1.1 400 Bad Request");
        }
    }

    @Test
    void headers_past_64_kb_are_refused_with_431_and_a_body_past_32_mb_with_413_unread() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "POST / HTTP/1.1\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n");
            assertThat(answer(socket.getInputStream())[0]).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
        }
        try (Socket socket = connect()) {
            send(socket, "POST / HTTP/1.1\r\nContent-Length: 40000000\r\n\r\n");
            assertThat(answer(socket.getInputStream())[0]).isEqualTo("HTTP/1.1 413 Content Too Large");
        }
    }

    @Test
    void closing_the_server_ends_its_idle_connections() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET / HTTP/1.1\r\n\r\n");
            InputStream in = socket.getInputStream();
            answer(in);
            server.close();
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
