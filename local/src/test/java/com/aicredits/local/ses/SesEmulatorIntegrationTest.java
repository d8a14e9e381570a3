package com.aicredits.local.ses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** The SES v2 emulator, driven by the real AWS SDK v2 client the functions use, and read back as /_local/emails serves it. */
class SesEmulatorIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keepsAnEmailSentWithTheSdkWithBothPartsAndEveryRecipient() throws IOException {
        SesEmulator emulator = SesEmulator.shared();
        // The shared store may hold other tests' emails: ours is the one with this subject.
        String subject = "80% of your monthly credits used " + UUID.randomUUID();
        try (SesV2Client ses = client(emulator)) {
            String messageId = ses.sendEmail(b -> b
                    .fromEmailAddress("alerts@aicredits.example")
                    .destination(d -> d.toAddresses("secops-lead@acme.example", "finance@acme.example"))
                    .content(c -> c.simple(m -> m
                            .subject(s -> s.data(subject).charset("UTF-8"))
                            .body(body -> body
                                    .text(t -> t.data("Workspace ws-acme-prod used 4000 of 5000 credits.").charset("UTF-8"))
                                    .html(h -> h.data("<p>Workspace <b>ws-acme-prod</b> used 4000 of 5000 credits.</p>")
                                            .charset("UTF-8"))))))
                    .messageId();
            assertThat(messageId).isNotBlank();

            JsonNode email = emailWithSubject(emulator.emailsJson(), subject);
            assertThat(email.path("messageId").asText()).isEqualTo(messageId);
            assertThat(email.path("from").asText()).isEqualTo("alerts@aicredits.example");
            assertThat(texts(email.path("destination").path("to")))
                    .containsExactly("secops-lead@acme.example", "finance@acme.example");
            assertThat(email.path("destination").path("cc").isEmpty()).isTrue();
            assertThat(email.path("body").path("text").asText()).isEqualTo("Workspace ws-acme-prod used 4000 of 5000 credits.");
            assertThat(email.path("body").path("html").asText())
                    .isEqualTo("<p>Workspace <b>ws-acme-prod</b> used 4000 of 5000 credits.</p>");
        }
    }

    @Test
    void listensOnLoopbackOnlyClearsItsStoreAndLeavesNoProcessBehind() throws Exception {
        ProcessHandle node;
        List<ProcessHandle> tree = new ArrayList<>();
        try (SesEmulator emulator = SesEmulator.start(SesEmulator.defaultDirectory(), 0)) {
            node = emulator.processHandle();
            tree.add(node);
            tree.addAll(node.descendants().toList());
            int port = emulator.endpoint().getPort();
            assertThat(emulator.endpoint().getHost()).isEqualTo("127.0.0.1");

            assertThat(listeningAddresses(port)).as("sockets listening on port %d", port).containsOnly("127.0.0.1:" + port);
            for (InetAddress address : nonLoopbackAddresses()) {
                assertThat(refuses(address, port)).as("connection to %s:%d refused", address, port).isTrue();
            }

            try (SesV2Client ses = client(emulator)) {
                ses.sendEmail(b -> b.fromEmailAddress("alerts@aicredits.example")
                        .destination(d -> d.toAddresses("a@acme.example"))
                        .content(c -> c.simple(m -> m.subject(s -> s.data("to be cleared"))
                                .body(body -> body.text(t -> t.data("x"))))));
            }
            assertThat(JSON.readTree(emulator.emailsJson()).path("emails")).hasSize(1);
            emulator.clear();
            assertThat(emulator.emailsJson()).isEqualTo("{\"emails\":[]}");
        }
        for (ProcessHandle process : tree) {
            assertThat(process.onExit().get(5, TimeUnit.SECONDS).isAlive()).as("process %d alive", process.pid()).isFalse();
        }
    }

    @Test
    void saysSoWhenItsPortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> SesEmulator.start(SesEmulator.defaultDirectory(), taken.getLocalPort()).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already in use")
                    .hasMessageContaining("failed to start server");
        }
    }

    @Test
    void acceptsOnlyNodeVersionsThatCanRequireYargs18() {
        assertThat(SesEmulator.nodeVersionSupported("v20.19.0")).isTrue();
        assertThat(SesEmulator.nodeVersionSupported("v22.12.0")).isTrue();
        assertThat(SesEmulator.nodeVersionSupported("v24.1.0")).isTrue();
        assertThat(SesEmulator.nodeVersionSupported("v20.18.3")).isFalse();
        assertThat(SesEmulator.nodeVersionSupported("v21.7.3")).isFalse();
        assertThat(SesEmulator.nodeVersionSupported("v22.11.0")).isFalse();
        assertThat(SesEmulator.nodeVersionSupported("v18.20.4")).isFalse();
        assertThat(SesEmulator.nodeVersionSupported("not a version")).isFalse();
    }

    private static SesV2Client client(SesEmulator emulator) {
        return SesV2Client.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static JsonNode emailWithSubject(String emailsJson, String subject) throws IOException {
        JsonNode root = JSON.readTree(emailsJson);
        assertThat(root.properties()).extracting(e -> e.getKey()).containsExactly("emails");
        List<JsonNode> matching = new ArrayList<>();
        root.path("emails").forEach(e -> {
            if (subject.equals(e.path("subject").asText())) {
                matching.add(e);
            }
        });
        assertThat(matching).as("emails with subject %s in %s", subject, emailsJson).hasSize(1);
        return matching.getFirst();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    /**
     * Local addresses of the TCP sockets listening on {@code port}, from Linux's /proc/net/tcp and tcp6
     * (0.0.0.0 or :: would mean every interface); elsewhere, only the connection check below runs.
     */
    private static List<String> listeningAddresses(int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        Path tcp4 = Path.of("/proc/net/tcp");
        Path tcp6 = Path.of("/proc/net/tcp6");
        if (!Files.isReadable(tcp4)) {
            return List.of("127.0.0.1:" + port);
        }
        for (Path table : List.of(tcp4, tcp6)) {
            if (!Files.isReadable(table)) {
                continue;
            }
            for (String line : Files.readAllLines(table, StandardCharsets.US_ASCII).stream().skip(1).toList()) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                boolean listening = fields[3].equals("0A");
                if (listening && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(address(local[0]) + ":" + port);
                }
            }
        }
        return addresses;
    }

    /** /proc/net/tcp{,6} hex addresses: 32-bit words in host (little-endian on x86 and arm64) order. */
    private static String address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes).getHostAddress();
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        return NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address)
                .toList();
    }

    private static boolean refuses(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            return true; // unreachable counts as not served
        }
    }
}
