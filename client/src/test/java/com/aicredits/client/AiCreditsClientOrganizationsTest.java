package com.aicredits.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The organization's admin routes and its pool's add-ons on a loopback stub that answers as the API does (201 then 200
 * for the same settings or purchaseId, 404 for an unknown organization, the refusals' codes): what the client sends,
 * what it reads, which exception each refusal is; and a pooled record's {@code pool} field.
 */
class AiCreditsClientOrganizationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, JsonNode> organizations = new LinkedHashMap<>();
    private final Map<String, String> addons = new LinkedHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** Each request's {@code aicredits-timeout-ms} ("-" when absent). */
    private final List<String> timeouts = Collections.synchronizedList(new ArrayList<>());
    /** Answers given before the stub's own: 503 contention, say, to see the retry. */
    private final List<String[]> faults = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger calls = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private HttpServer server;
    private AiCreditsClient client;

    @BeforeEach
    void stub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
        client = AiCreditsClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), () -> "admin-token")
                .attemptTimeout(Duration.ofSeconds(5)).totalTimeout(Duration.ofSeconds(30))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void putCreatesThenUpdatesAndGetReadsTheOrganizationWithItsPool() {
        Organization.CreditPool pool = new Organization.CreditPool(true, 20_000L, 150, List.of(80, 100), List.of("finance@acme.example"));

        Saved<Organization> created = client.putOrganization("org-acme", "Acme", pool);
        Saved<Organization> again = client.putOrganization("org-acme", "Acme", pool);
        Saved<Organization> disabled = client.putOrganization("org-acme", "Acme", Organization.CreditPool.of(false, List.of()));

        assertThat(requests.get(0)).isEqualTo("PUT /v1/organizations/org-acme {\"name\":\"Acme\",\"creditPool\":{\"enabled\":true,"
                + "\"monthlyCredits\":20000,\"hardLimitPercent\":150,\"thresholds\":[80,100],\"notificationEmails\":[\"finance@acme.example\"]}}");
        assertThat(created.created()).isTrue();
        assertThat(created.value()).isEqualTo(new Organization("org-acme", "Acme", pool));
        assertThat(again.created()).isFalse();
        assertThat(requests.get(2)).as("the defaults are left out, not sent as null")
                .endsWith("{\"name\":\"Acme\",\"creditPool\":{\"enabled\":false,\"notificationEmails\":[]}}");
        assertThat(disabled.value().creditPool().enabled()).isFalse();
        assertThat(client.organization("org-acme")).isEqualTo(disabled.value());
        assertThat(client.putOrganization("org-plain", "Plain", null).value()).isEqualTo(new Organization("org-plain", "Plain", null));
        assertThat(requests.get(requests.size() - 1)).isEqualTo("PUT /v1/organizations/org-plain {\"name\":\"Plain\"}");
    }

    @Test
    void aPoolAddonIsBoughtOnceAndListed() {
        client.putOrganization("org-acme", "Acme", Organization.CreditPool.of(true, List.of()));

        Saved<PoolAddon> bought = client.buyPoolAddon("org-acme", "po-1", 25_000, PoolAddon.Term.MONTHLY);
        Saved<PoolAddon> again = client.buyPoolAddon("org-acme", "po-1", 25_000, PoolAddon.Term.MONTHLY);

        assertThat(requests.get(1)).isEqualTo("POST /v1/organizations/org-acme/addons {\"purchaseId\":\"po-1\",\"monthlyCredits\":25000,\"term\":\"MONTHLY\"}");
        assertThat(bought.created()).isTrue();
        assertThat(bought.value()).isEqualTo(new PoolAddon("po-1", "org-acme", 25_000, "MONTHLY", "2026-11", "2026-11", 25_000,
                "2026-11-25T10:05:00.000Z"));
        assertThat(again.created()).isFalse();
        assertThat(again.value()).isEqualTo(bought.value());
        assertThat(client.poolAddons("org-acme")).containsExactly(bought.value());
    }

    @Test
    void aBusyAnswerIsRetriedAndAPurchaseWhoseAnswerWasLostIsReportedAsCreated() {
        client.putOrganization("org-acme", "Acme", Organization.CreditPool.of(true, List.of()));
        faults.add(new String[] {"503", "{\"error\":{\"code\":\"unavailable\",\"message\":\"a dependency is unavailable\"}}", "after"});

        Saved<PoolAddon> bought = client.buyPoolAddon("org-acme", "po-lost", 10_000, PoolAddon.Term.ANNUAL);

        assertThat(bought.attempts()).isEqualTo(2);
        assertThat(bought.created()).as("the first attempt bought it; the retry's 200 shows that purchase").isTrue();
        assertThat(client.poolAddons("org-acme")).hasSize(1);
    }

    /**
     * A pool's write waits as a debit does, all of the deadline but one attempt, and says so (the API retries it itself
     * while the pool's balance is busy, and stops by then), where a read waits one attempt and asks again.
     */
    @Test
    void aPoolWriteWaitsOutABusyApiWhereAReadAsksAgain() {
        AiCreditsClient shortAttempts = AiCreditsClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                () -> "admin-token").attemptTimeout(Duration.ofMillis(300)).totalTimeout(Duration.ofSeconds(5))
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build();
        faults.add(new String[] {"slow", "1000"});
        Saved<Organization> saved = shortAttempts.putOrganization("org-acme", "Acme", Organization.CreditPool.of(true, List.of()));
        assertThat(saved.attempts()).isEqualTo(1);
        assertThat(saved.created()).isTrue();
        // 4,700 ms of the 5 s, less the network's 500: 4,200 said to the API.
        assertThat(Long.parseLong(lastTimeout())).isBetween(4_000L, 4_200L);
        shortAttempts.buyPoolAddon("org-acme", "po-said", 10_000, PoolAddon.Term.MONTHLY);
        assertThat(Long.parseLong(lastTimeout())).isBetween(4_000L, 4_200L);

        faults.add(new String[] {"slow", "1000"});
        calls.set(0);
        assertThat(shortAttempts.organization("org-acme").name()).isEqualTo("Acme");
        assertThat(calls).as("the read's first attempt timed out after 300 ms and was asked again").hasValue(2);
        assertThat(lastTimeout()).as("a read says nothing").isEqualTo("-");
    }

    private String lastTimeout() {
        return timeouts.get(timeouts.size() - 1);
    }

    @Test
    void eachRefusalIsItsTypedException() {
        assertThatThrownBy(() -> client.organization("org-nobody"))
                .isInstanceOfSatisfying(AiCreditsException.OrganizationNotFound.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("organization org-nobody does not exist");
                });
        assertThatThrownBy(() -> client.poolAddons("org-nobody")).isInstanceOf(AiCreditsException.OrganizationNotFound.class);
        assertThatThrownBy(() -> client.buyPoolAddon("org-nobody", "po-1", 10_000, PoolAddon.Term.MONTHLY))
                .isInstanceOf(AiCreditsException.OrganizationNotFound.class);
        assertThatThrownBy(() -> client.putOrganization("org-acme", "Acme",
                new Organization.CreditPool(true, null, 99, null, List.of())))
                .isInstanceOfSatisfying(AiCreditsException.InvalidRequest.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_creditPool.hardLimitPercent"));
        assertThatThrownBy(() -> client.putOrganization("org-huge", "Huge", Organization.CreditPool.of(true, List.of())))
                .isInstanceOfSatisfying(AiCreditsException.PoolTooLarge.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(organizations).doesNotContainKeys("org-acme", "org-huge");
    }

    @Test
    void aPooledRecordSaysSoAndAnOwnOneDoesNot() throws Exception {
        String pooled = "{\"executionId\":\"run-1\",\"workspaceId\":\"ws-1\",\"activity\":\"task.execution\",\"feature\":\"AI_TASK\","
                + "\"creditsConsumed\":1,\"creditsUsed\":8401,\"creditsRemaining\":11599,\"creditsAllocated\":20000,\"sequence\":2214,"
                + "\"period\":\"2026-11\",\"occurredAt\":\"2026-11-25T10:17:40.000Z\",\"recordedAt\":\"2026-11-25T10:17:40.207Z\","
                + "\"priceVersion\":\"2026-01-01\",\"renewsAt\":\"2026-12-01T00:00:00Z\",\"model\":\"PLATFORM\",\"pool\":\"organization\"}";
        ObjectMapper clientJson = (ObjectMapper) readField(AiCreditsClient.class, "JSON");

        UsageRecord record = clientJson.readValue(pooled, UsageRecord.class);
        UsageRecord own = clientJson.readValue(pooled.replace(",\"pool\":\"organization\"", ""), UsageRecord.class);

        assertThat(record.pool()).isEqualTo("organization");
        assertThat(record.creditsAllocated()).isEqualByComparingTo(new BigDecimal("20000"));
        assertThat(own.pool()).isNull();
    }

    private static Object readField(Class<?> type, String name) throws ReflectiveOperationException {
        var field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(null);
    }

    /** The API's answers for the four routes, from the two maps. */
    private void answer(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(method + " " + path + (body.isEmpty() ? "" : " " + body));
        timeouts.add(java.util.Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst(AiCreditsClient.TIMEOUT_HEADER), "-"));
        String[] fault = faults.isEmpty() ? null : faults.remove(0);
        String[] parts = path.split("/");
        String organizationId = parts[3];
        int status;
        String answer;
        if (!"Bearer admin-token".equals(exchange.getRequestHeaders().getFirst("authorization"))) {
            status = 401;
            answer = "{\"message\":\"Unauthorized\"}";
        } else if (parts.length == 4 && method.equals("PUT")) {
            JsonNode spec = JSON.readTree(body);
            if (spec.path("creditPool").path("hardLimitPercent").asInt(200) < 100) {
                status = 400;
                answer = "{\"error\":{\"code\":\"invalid_creditPool.hardLimitPercent\",\"message\":\"creditPool.hardLimitPercent must be between 100 and 1000\"}}";
            } else if (organizationId.equals("org-huge")) {
                status = 409;
                answer = "{\"error\":{\"code\":\"pool_too_large\",\"message\":\"organization org-huge has 60 workspaces\"}}";
            } else {
                var stored = JSON.createObjectNode().put("organizationId", organizationId).put("name", spec.get("name").asText());
                if (spec.has("creditPool")) {
                    var pool = spec.get("creditPool").deepCopy();
                    stored.set("creditPool", pool);
                }
                JsonNode before = organizations.put(organizationId, stored);
                status = stored.equals(before) ? 200 : before == null ? 201 : 200;
                answer = stored.toString();
            }
        } else if (!organizations.containsKey(organizationId)) {
            status = 404;
            answer = "{\"error\":{\"code\":\"not_found\",\"message\":\"organization " + organizationId + " does not exist\"}}";
        } else if (parts.length == 4) {
            status = 200;
            answer = organizations.get(organizationId).toString();
        } else if (method.equals("POST")) {
            JsonNode purchase = JSON.readTree(body);
            String key = organizationId + "/" + purchase.get("purchaseId").asText();
            boolean known = addons.containsKey(key);
            if (!known) {
                long credits = purchase.get("monthlyCredits").asLong();
                boolean annual = purchase.get("term").asText().equals("ANNUAL");
                addons.put(key, JSON.createObjectNode().put("purchaseId", purchase.get("purchaseId").asText())
                        .put("organizationId", organizationId).put("monthlyCredits", credits).put("term", purchase.get("term").asText())
                        .put("startPeriod", "2026-11").put("endPeriod", annual ? "2027-10" : "2026-11")
                        .put("totalCredits", credits * (annual ? 12 : 1)).put("purchasedAt", "2026-11-25T10:05:00.000Z").toString());
            }
            status = known ? 200 : 201;
            answer = addons.get(key);
        } else {
            status = 200;
            answer = addons.entrySet().stream().filter(e -> e.getKey().startsWith(organizationId + "/")).map(Map.Entry::getValue)
                    .collect(java.util.stream.Collectors.joining(",", "{\"items\":[", "]}"));
        }
        if (fault != null && fault[0].equals("slow")) {
            try {
                Thread.sleep(Long.parseLong(fault[1])); // carried out, answered late
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        } else if (fault != null) {
            status = Integer.parseInt(fault[0]);
            answer = fault[1];
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
