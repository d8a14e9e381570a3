package com.aicredits.emulation.dynamodb;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import jdk.net.ExtendedSocketOptions;

/**
 * The HTTP/1.1 the AWS SDKs and CLI speak to DynamoDB, and no more: keep-alive connections on 127.0.0.1, one virtual
 * thread each, a request body by {@code Content-Length} or chunked, {@code Expect: 100-continue}, an answer written
 * in one piece. Why not the JDK's {@code HttpServer}: the SDK's url-connection client sends a request's headers and
 * its body in two writes with Nagle's algorithm on, so the body waits for the server to ACK the headers, and Linux
 * delays that ACK; the JDK server gives no hold on its sockets, and every call paid about 1.3 ms for it (measured: a
 * GetItem's SDK-side p50 of 1.7 ms, of which 0.13 ms with both parts in one write). Here, when the body is not in
 * yet, the connection asks the kernel for its ACK at once ({@code TCP_QUICKACK}, Linux).
 */
final class LoopbackHttpServer implements AutoCloseable {
    /** A request as read: the method, the target, the headers by lower-case name, the body. */
    record Request(String method, String target, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** An answer: the status, its headers (Content-Length is added) and body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
    }

    interface Handler {
        Response handle(Request request);
    }

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    /** Above DynamoDB's own request limit (16 MB for BatchWriteItem): a larger body is refused unread. */
    private static final int MAX_BODY_BYTES = 32 * 1024 * 1024;
    private static final boolean QUICK_ACK_SUPPORTED = quickAckSupported();

    private final ServerSocketChannel listener;
    private final Handler handler;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    LoopbackHttpServer(int port, Handler handler) {
        this.handler = handler;
        try {
            listener = ServerSocketChannel.open();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        acceptor = Thread.ofVirtual().name("dynamodb-engine-accept").start(this::acceptLoop);
    }

    int port() {
        return listener.socket().getLocalPort();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        connections.forEach(LoopbackHttpServer::closeQuietly);
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        int connection = 0;
        while (!closed) {
            try {
                SocketChannel channel = listener.accept();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                connections.add(channel);
                Thread.ofVirtual().name("dynamodb-engine-" + connection++).start(() -> serve(channel));
            } catch (ClosedChannelException stopped) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("dynamodb-engine: accept failed: " + e);
                }
            }
        }
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            InputStream in = new BufferedInputStream(new AckingInputStream(channel), 16 * 1024);
            OutputStream out = channel.socket().getOutputStream();
            while (!closed) {
                Map<String, String> headers = new TreeMap<>();
                String[] parts;
                byte[] body;
                try {
                    String requestLine = readHead(in, headers);
                    if (requestLine == null) {
                        return;
                    }
                    parts = requestLine.split(" ");
                    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                        throw new BadRequest(400, "malformed request line");
                    }
                    body = readBody(in, out, headers);
                } catch (BadRequest bad) {
                    answerAndClose(channel, in, out, bad.status, bad.getMessage());
                    return;
                }
                Response response = handler.handle(new Request(parts[0], parts[1], headers, body));
                write(out, response);
                boolean keepAlive = parts[2].equals("HTTP/1.1") ? !"close".equalsIgnoreCase(headers.get("connection"))
                        : "keep-alive".equalsIgnoreCase(headers.get("connection"));
                if (!keepAlive) {
                    return;
                }
            }
        } catch (IOException closedOrReset) {
            // the client went away, or the server is closing
        } finally {
            connections.remove(channel);
        }
    }

    /** The request line, with the headers put into {@code headers}; null at a clean end of the connection. */
    private static String readHead(InputStream in, Map<String, String> headers) throws IOException {
        String requestLine;
        do {
            requestLine = readLine(in, true);
            if (requestLine == null) {
                return null;
            }
        } while (requestLine.isEmpty()); // RFC 9112 2.2: ignore empty lines before a request line
        int size = requestLine.length();
        for (String line = readLine(in, false); !line.isEmpty(); line = readLine(in, false)) {
            size += line.length();
            if (size > MAX_HEADER_BYTES) {
                throw new BadRequest(431, "request headers too large");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest(400, "malformed header line");
            }
            headers.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(),
                    (first, second) -> first + "," + second);
        }
        return requestLine;
    }

    private static byte[] readBody(InputStream in, OutputStream out, Map<String, String> headers) throws IOException {
        boolean chunked = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked");
        String lengthHeader = headers.get("content-length");
        long length;
        try {
            length = chunked || lengthHeader == null ? 0 : Long.parseLong(lengthHeader);
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "malformed Content-Length");
        }
        if (length < 0 || length > MAX_BODY_BYTES) {
            throw new BadRequest(413, "request body too large");
        }
        if (!chunked && length == 0) {
            return new byte[0];
        }
        if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        return chunked ? readChunked(in) : in.readNBytes((int) length);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in, false);
            int extension = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "malformed chunk size");
            }
            if (size < 0 || body.size() + (long) size > MAX_BODY_BYTES) {
                throw new BadRequest(413, "request body too large");
            }
            if (size == 0) {
                while (!readLine(in, false).isEmpty()) {
                    // trailers: none of DynamoDB's clients needs them
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("connection closed inside a chunk");
            }
            body.write(chunk);
            readLine(in, false);
        }
    }

    /**
     * One line up to CRLF (or a bare LF), as ASCII. At a clean end of the stream before any byte: null if
     * {@code endAllowed}, else an EOF.
     */
    private static String readLine(InputStream in, boolean endAllowed) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (endAllowed && line.isEmpty()) {
                    return null;
                }
                throw new EOFException("connection closed inside a request");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_HEADER_BYTES) {
                throw new BadRequest(431, "request line or header too long");
            }
            line.append((char) b);
        }
    }

    private static void write(OutputStream out, Response response) throws IOException {
        StringBuilder head = new StringBuilder(256).append("HTTP/1.1 ").append(response.status()).append(' ')
                .append(reason(response.status())).append("\r\n");
        response.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(response.body().length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new byte[headBytes.length + response.body().length];
        System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
        System.arraycopy(response.body(), 0, whole, headBytes.length, response.body().length);
        out.write(whole); // one write: the answer leaves in one segment
        out.flush();
    }

    /**
     * Answers a request it will not read further, then reads on (briefly, a bounded amount) until the client is
     * done: closing with its bytes unread would reset the connection, and the client could lose the answer.
     */
    private static void answerAndClose(SocketChannel channel, InputStream in, OutputStream out, int status, String message) throws IOException {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        write(out, new Response(status, Map.of("Content-Type", "text/plain", "Connection", "close"), body));
        channel.shutdownOutput();
        channel.socket().setSoTimeout(1_000);
        try {
            byte[] discard = new byte[16 * 1024];
            for (long drained = 0; drained < 1024 * 1024; ) {
                int read = in.read(discard);
                if (read < 0) {
                    return;
                }
                drained += read;
            }
        } catch (java.net.SocketTimeoutException enough) {
            // the client kept the connection open or sent on: the answer went first either way
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /**
     * The socket's input, asking the kernel to ACK what came at once before each read that may wait: a client that
     * writes a request in several small pieces with Nagle's algorithm on (the JDK's HttpURLConnection does, for the
     * head and the body) holds each piece until the one before is ACKed.
     */
    private static final class AckingInputStream extends InputStream {
        private final SocketChannel channel;
        private final InputStream socket;

        AckingInputStream(SocketChannel channel) throws IOException {
            this.channel = channel;
            this.socket = channel.socket().getInputStream();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (QUICK_ACK_SUPPORTED) {
                try {
                    channel.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
                } catch (UnsupportedOperationException e) {
                    // only a delay: the kernel's delayed ACK still comes
                }
            }
            return socket.read(buffer, offset, length);
        }

        @Override
        public int available() throws IOException {
            return socket.available();
        }
    }

    private static boolean quickAckSupported() {
        try (SocketChannel probe = SocketChannel.open()) {
            return probe.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** A request this server will not read further; answered with {@link #status} and the connection closed. */
    private static final class BadRequest extends IOException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
