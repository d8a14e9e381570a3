package com.aicredits.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.client.AiCreditsClient.Execution;
import com.aicredits.client.AiCreditsClient.Model;
import com.aicredits.client.AiCreditsClient.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 33: credit amounts have up to two decimals and the client reads them exactly, as BigDecimals, on every path (a
 * single call's record, a batch's results, the dry run, the pricing, a 402's detail); records carry {@code renewsAt}
 * and {@code llmModel}; {@code llmModel} is sent when given, and reusing an executionId with another one is
 * {@link AiCreditsException.ExecutionIdReused}. Scripted answers where the numbers matter (amounts no double holds),
 * {@link LedgerStub} where the ledger's behaviour does.
 */
class AiCreditsClientFractionalCreditsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A record as a newer server may write it: fractional amounts, renewsAt, llmModel, and fields this client ignores. */
    private static String record(String executionId, String consumed, String used, String remaining, String allocated) {
        return "{\"executionId\":\"" + executionId + "\",\"workspaceId\":\"ws-1\",\"activity\":\"task.execution\",\"feature\":\"AI_TASK\","
                + "\"creditsConsumed\":" + consumed + ",\"creditsUsed\":" + used + ",\"creditsRemaining\":" + remaining
                + ",\"creditsAllocated\":" + allocated + ",\"sequence\":7,\"period\":\"2026-12\","
                + "\"occurredAt\":\"2026-12-03T10:00:00.000Z\",\"recordedAt\":\"2026-12-03T10:00:00.120Z\",\"priceVersion\":\"2026-12-01\","
                + "\"model\":\"PLATFORM\",\"llmModel\":\"gemini-1-pro\",\"renewsAt\":\"2027-01-01T00:00:00Z\",\"pool\":\"organization\","
                + "\"somethingNewer\":{\"credits\":0.1,\"list\":[1.5,2]}}";
    }

    private final List<String> answers = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private HttpServer server;
    private LedgerStub stub;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (stub != null) {
            stub.close();
        }
        executor.shutdownNow();
    }

    /** A client on a loopback server that answers each request with the next scripted status and body. */
    private AiCreditsClient scripted() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                int index = bodies.size() - 1;
                byte[] body = answers.get(index).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("content-type", "application/json");
                exchange.sendResponseHeaders(statuses.get(index), body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
        return client(URI.create("http://127.0.0.1:" + server.getAddress().getPort())).build();
    }

    private AiCreditsClientFractionalCreditsTest answer(int status, String body) {
        statuses.add(status);
        answers.add(body);
        return this;
    }

    private static AiCreditsClient.Builder client(URI url) {
        return AiCreditsClient.builder(url, () -> "token").attemptTimeout(Duration.ofSeconds(5))
                .totalTimeout(Duration.ofSeconds(30)).backoff(Duration.ofMillis(5), Duration.ofMillis(40));
    }

    @Test
    void aFractionalRecordIsReadExactlyWithItsRenewalAndLlmModel() throws Exception {
        // 12.5 + 0.25: amounts a double would still hold; the allocation's 17 digits it would not.
        answer(201, record("run-1", "0.25", "12.5", "12345678901234554.75", "12345678901234567.25"));
        UsageRecord record = scripted().record("ws-1", "run-1", "task.execution", null, Model.PLATFORM, "gemini-1-pro").record();

        assertThat(record.creditsConsumed()).isEqualByComparingTo("0.25");
        assertThat(record.creditsUsed()).isEqualByComparingTo("12.5");
        assertThat(record.creditsRemaining()).isEqualByComparingTo("12345678901234554.75");
        assertThat(record.creditsAllocated()).isEqualByComparingTo("12345678901234567.25");
        assertThat(record.creditsAllocated().subtract(record.creditsUsed())).isEqualByComparingTo(record.creditsRemaining());
        // As written: the same digits back, no binary floating point on the way.
        assertThat(List.of(record.creditsConsumed(), record.creditsUsed(), record.creditsAllocated()))
                .extracting(BigDecimal::toPlainString).containsExactly("0.25", "12.5", "12345678901234567.25");
        assertThat(record.sequence()).isEqualTo(7L);
        assertThat(record.renewsAt()).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(Instant.parse(record.renewsAt())).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(record.llmModel()).isEqualTo("gemini-1-pro");
        assertThat(JSON.readTree(bodies.get(0)).get("llmModel").asText()).isEqualTo("gemini-1-pro");
    }

    @Test
    void wholeAmountsAndOlderRecordsReadAsBefore() throws Exception {
        answer(200, "{\"executionId\":\"run-0\",\"workspaceId\":\"ws-1\",\"activity\":\"case.investigation\",\"feature\":\"CASE_INVESTIGATION\","
                + "\"creditsConsumed\":12,\"creditsUsed\":1212,\"creditsRemaining\":-212,\"creditsAllocated\":1000,\"sequence\":101,"
                + "\"period\":\"2026-11\",\"occurredAt\":\"2026-11-25T10:15:29.000Z\",\"recordedAt\":\"2026-11-25T10:15:29.412Z\","
                + "\"priceVersion\":\"2026-01-01\"}");
        UsageRecord record = scripted().record("ws-1", "run-0", "case.investigation").record();
        assertThat(record.creditsConsumed()).isEqualByComparingTo("12");
        assertThat(record.creditsConsumed().toString()).as("an integer stays an integer").isEqualTo("12");
        assertThat(record.creditsRemaining()).isEqualByComparingTo("-212");
        assertThat(record.renewsAt()).as("a record stored before renewsAt").isNull();
        assertThat(record.llmModel()).isNull();
        assertThat(bodies.get(0)).as("no llmModel given: none sent").doesNotContain("llmModel");
    }

    /** A batch's results are read as a tree first: that path is exact too (a refund-like negative line included). */
    @Test
    void aBatchsResultsAreReadExactly() throws Exception {
        String refundLike = record("refund-1", "-3.75", "8.75", "491.25", "500");
        answer(200, "{\"results\":[{\"status\":201,\"record\":" + record("run-1", "0.1", "0.3", "12345678901234566.95", "12345678901234567.25") + "},"
                + "{\"status\":200,\"record\":" + refundLike + "},"
                + "{\"status\":402,\"error\":{\"code\":\"hard_limit_exceeded\",\"message\":\"no\",\"detail\":{\"period\":\"2026-12\","
                + "\"credits\":0.25,\"creditsUsed\":999.9,\"usageAfter\":1000.15,\"hardLimitPercent\":200,\"creditsAllocated\":500,"
                + "\"hardLimitCredits\":1000}}}]}");
        List<Outcome> outcomes = scripted().recordBatch("ws-1", List.of(
                new Execution("run-1", "task.execution").withLlmModel("gemini-1-pro"),
                new Execution("refund-1", "task.execution"),
                new Execution("run-2", "task.execution", Instant.parse("2026-12-03T10:00:00Z"), Model.PLATFORM, "gemini-1-pro")));

        UsageRecord first = outcomes.get(0).get().record();
        assertThat(first.creditsConsumed()).isEqualByComparingTo("0.1");
        assertThat(first.creditsUsed()).isEqualByComparingTo("0.3"); // never 0.30000000000000004
        assertThat(first.creditsUsed().toPlainString()).isEqualTo("0.3");
        assertThat(first.creditsRemaining().toPlainString()).as("17 digits: no double holds them").isEqualTo("12345678901234566.95");
        UsageRecord refund = outcomes.get(1).get().record();
        assertThat(refund.creditsConsumed()).isEqualByComparingTo("-3.75");
        assertThat(refund.creditsConsumed().toPlainString()).isEqualTo("-3.75");
        assertThat(refund.creditsUsed()).isEqualByComparingTo("8.75");
        assertThat(refund.creditsAllocated().toPlainString()).isEqualTo("500");
        assertThat(refund.renewsAt()).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(outcomes.get(2).refusal()).isInstanceOfSatisfying(AiCreditsException.HardLimitExceeded.class, e -> {
            assertThat(e.credits()).isEqualByComparingTo("0.25");
            assertThat(e.creditsUsed()).isEqualByComparingTo("999.9");
            assertThat(e.usageAfter()).isEqualByComparingTo("1000.15").isEqualByComparingTo(e.creditsUsed().add(e.credits()));
            assertThat(e.hardLimitPercent()).isEqualTo(200);
            assertThat(e.creditsAllocated()).isEqualByComparingTo("500");
            assertThat(e.hardLimitCredits()).isEqualByComparingTo("1000");
        });

        JsonNode sent = JSON.readTree(bodies.get(0)).get("executions");
        assertThat(sent.get(0).get("llmModel").asText()).isEqualTo("gemini-1-pro");
        assertThat(sent.get(1).has("llmModel")).isFalse();
        assertThat(sent.get(2).get("llmModel").asText()).isEqualTo("gemini-1-pro");
        assertThat(sent.get(2).get("occurredAt").asText()).isEqualTo("2026-12-03T10:00:00Z");
    }

    @Test
    void theDryRunThePricingAndASingleRefusalAreExact() throws Exception {
        answer(200, "{\"allowed\":true,\"creditsConsumed\":0.25,\"creditsRemainingAfter\":4.75,\"reason\":null}");
        answer(200, "{\"version\":\"2026-12-01\",\"effectiveFrom\":\"2026-12-01T00:00:00Z\",\"activities\":["
                + "{\"activity\":\"task.execution\",\"feature\":\"AI_TASK\",\"description\":\"a task\",\"credits\":1,\"byosCredits\":0,"
                + "\"llmModelCredits\":{\"gpt-4o\":1,\"gpt-4-turbo\":2,\"gemini-1-pro\":0.25,\"gemini-1.5-pro\":1}},"
                + "{\"activity\":\"case.conversation\",\"feature\":\"CASE_CONVERSATION\",\"description\":\"a talk\",\"credits\":7.5,"
                + "\"byosCredits\":0.05}],\"next\":null}");
        answer(402, "{\"error\":{\"code\":\"hard_limit_exceeded\",\"message\":\"no\",\"detail\":{\"period\":\"2026-12\","
                + "\"credits\":2,\"creditsUsed\":99.75,\"usageAfter\":101.75,\"hardLimitPercent\":100,\"creditsAllocated\":100,"
                + "\"hardLimitCredits\":100}}}");
        AiCreditsClient client = scripted();

        DryRun dryRun = client.check("ws-1", new Execution("run-1", "task.execution").withLlmModel("gemini-1-pro"));
        assertThat(dryRun.creditsConsumed()).isEqualByComparingTo("0.25");
        assertThat(dryRun.creditsRemainingAfter()).isEqualByComparingTo("4.75");
        assertThat(JSON.readTree(bodies.get(0)).get("llmModel").asText()).isEqualTo("gemini-1-pro");

        Pricing pricing = client.pricing();
        assertThat(pricing.creditsOf("task.execution")).isEqualByComparingTo("1");
        assertThat(pricing.creditsOf("task.execution", "gemini-1-pro")).isEqualByComparingTo("0.25");
        assertThat(pricing.creditsOf("task.execution", "gpt-4-turbo")).isEqualByComparingTo("2");
        assertThat(pricing.creditsOf("task.execution", "a-model-it-does-not-list")).isEqualByComparingTo("1");
        assertThat(pricing.creditsOf("task.execution", null)).isEqualByComparingTo("1");
        assertThat(pricing.activities().get(0).llmModelCredits()).containsOnlyKeys("gpt-4o", "gpt-4-turbo", "gemini-1-pro", "gemini-1.5-pro");
        assertThat(pricing.creditsOf("case.conversation")).isEqualByComparingTo("7.5");
        assertThat(pricing.activities().get(1).byosCredits()).isEqualByComparingTo("0.05");
        assertThat(pricing.activities().get(1).llmModelCredits()).as("an activity without the map").isNull();
        assertThat(pricing.creditsOf("case.conversation", "gpt-4o")).isEqualByComparingTo("7.5");

        assertThatThrownBy(() -> client.record("ws-1", new Execution("run-2", "task.execution").withLlmModel("gpt-4-turbo")))
                .isInstanceOfSatisfying(AiCreditsException.HardLimitExceeded.class, e -> {
                    assertThat(e.creditsUsed()).isEqualByComparingTo("99.75");
                    assertThat(e.usageAfter()).isEqualByComparingTo("101.75");
                });
    }

    /** Against the stub's ledger, single calls: the shipped prices by LLM model, four gemini-1-pro runs make 1 credit. */
    @Test
    void llmModelIsSentOnSingleCallsPricedAndPartOfTheRunsIdentity() throws Exception {
        stub = new LedgerStub().workspace("ws-1", 100, 200, 0, false, true);
        AiCreditsClient client = client(stub.url()).autoBatching(false).build();
        List<BigDecimal> used = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            Recorded recorded = client.record("ws-1", "gemini-" + i, "task.execution", null, Model.PLATFORM, "gemini-1-pro");
            assertThat(recorded.created()).isTrue();
            assertThat(recorded.record().llmModel()).isEqualTo("gemini-1-pro");
            assertThat(recorded.record().creditsConsumed()).isEqualByComparingTo("0.25");
            used.add(recorded.record().creditsUsed());
        }
        assertThat(used).extracting(BigDecimal::toPlainString).containsExactly("0.25", "0.5", "0.75", "1");
        assertThat(stub.used("ws-1")).isEqualByComparingTo("1");
        assertThat(stub.requests()).hasSize(4).allSatisfy(request -> {
            assertThat(request.batch()).isFalse();
            assertThat(JSON.readTree(request.body()).get("llmModel").asText()).isEqualTo("gemini-1-pro");
        });

        // The same run again: its stored record. The same id with another llmModel, none, or another model: 409.
        Recorded replay = client.record("ws-1", new Execution("gemini-1", "task.execution").withLlmModel("gemini-1-pro"));
        assertThat(replay.replay()).isTrue();
        assertThat(replay.record().creditsUsed()).isEqualByComparingTo("0.25");
        assertThatThrownBy(() -> client.record("ws-1", "gemini-1", "task.execution", null, Model.PLATFORM, "gpt-4o"))
                .isInstanceOfSatisfying(AiCreditsException.ExecutionIdReused.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("execution_id_reused");
                });
        assertThatThrownBy(() -> client.record("ws-1", "gemini-1", "task.execution"))
                .isInstanceOf(AiCreditsException.ExecutionIdReused.class);
        assertThatThrownBy(() -> client.record("ws-1", new Execution("gemini-1", "task.execution").withLlmModel("gemini-1-pro")
                .withModel(Model.BYOS))).isInstanceOf(AiCreditsException.ExecutionIdReused.class);
        client.record("ws-1", "plain-1", "task.execution");
        assertThatThrownBy(() -> client.record("ws-1", "plain-1", "task.execution", null, Model.PLATFORM, "gpt-4o"))
                .as("no llmModel first, one now").isInstanceOf(AiCreditsException.ExecutionIdReused.class);
        assertThat(stub.used("ws-1")).isEqualByComparingTo("2");
    }
}
