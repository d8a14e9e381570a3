package com.aicredits.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's retry rules against a scripted loopback server: a fake, because these are answers the real API gives only
 * under faults (a lost answer, a 503 on demand) or not yet at all (BYOS). AiCreditsClientIntegrationTest (local/) runs
 * the client against the real local stack.
 */
class AiCreditsClientRetriesTest {
    private static final String RECORD = "{\"executionId\":\"run-1\",\"workspaceId\":\"ws-1\",\"activity\":\"task.execution\","
            + "\"feature\":\"AI_TASK\",\"creditsConsumed\":1,\"creditsUsed\":1,\"creditsRemaining\":499,\"creditsAllocated\":500,"
            + "\"sequence\":1,\"period\":\"2026-12\",\"occurredAt\":\"2026-12-01T00:00:00.000Z\",\"recordedAt\":\"2026-12-01T00:00:00.000Z\","
            + "\"priceVersion\":\"2026-01-01\"}";

    /** One scripted answer: a status and body, or null to drop the connection without one. */
    private record Step(Integer status, String body) {
    }

    /** An answer that never comes: the connection stays open and silent until the client gives up on it. */
    private static final Step SILENCE = new Step(-1, null);

    private final List<Step> script = Collections.synchronizedList(new ArrayList<>());
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    /** Each request's {@value AiCreditsClient#TIMEOUT_HEADER} header (null when absent). */
    private final List<String> timeouts = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private HttpServer server;

    /**
     * A client on the stub with attempts long enough that no answer times out on a loaded machine: these tests are
     * about which answers are retried, not about time (the deadline test below takes short ones).
     */
    private AiCreditsClient client(Step... steps) throws IOException {
        return client(Duration.ofSeconds(5), Duration.ofSeconds(30), steps);
    }

    private AiCreditsClient client(Duration attemptTimeout, Duration totalTimeout, Step... steps) throws IOException {
        script.addAll(List.of(steps));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
        return AiCreditsClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), () -> "token")
                .attemptTimeout(attemptTimeout).totalTimeout(totalTimeout)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(40)).build();
    }

    private void answer(HttpExchange exchange) throws IOException {
        bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        timeouts.add(exchange.getRequestHeaders().getFirst(AiCreditsClient.TIMEOUT_HEADER));
        int index = requests.getAndIncrement();
        Step step = index < script.size() ? script.get(index) : script.get(script.size() - 1);
        if (step.status() == null) { // the request was carried out; its answer is lost
            exchange.close();
            return;
        }
        if (step == SILENCE) {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        byte[] body = step.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(step.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String error(String code) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + code + " happened\"}}";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }

    @Test
    void aLostAnswerThenAReplayIsReportedAsTheDebitItWas() throws Exception {
        AiCreditsClient client = client(new Step(null, null), new Step(200, RECORD));
        Recorded recorded = client.record("ws-1", "run-1", "task.execution");
        assertThat(recorded.created()).isTrue();
        assertThat(recorded.attempts()).isEqualTo(2);
        assertThat(bodies).hasSize(2).allMatch(body -> body.equals(bodies.get(0))).first().asString().contains("\"executionId\":\"run-1\"");
    }

    @Test
    void aByosRunSaysSoAndItsRecordCarriesTheModel() throws Exception {
        AiCreditsClient client = client(new Step(201, RECORD.replace("\"priceVersion\":\"2026-01-01\"}",
                "\"priceVersion\":\"2026-01-01\",\"model\":\"BYOS\"}")), new Step(201, RECORD));
        Recorded byos = client.record("ws-1", "run-1", "task.execution", null, AiCreditsClient.Model.BYOS);
        Recorded platform = client.record("ws-1", "run-2", "task.execution");
        assertThat(bodies.get(0)).contains("\"model\":\"BYOS\"");
        assertThat(bodies.get(1)).doesNotContain("model");
        assertThat(byos.record().model()).isEqualTo("BYOS");
        assertThat(platform.record().model()).as("a record stored before BYOS").isNull();
    }

    @Test
    void aReplayWithNoLostAttemptIsAReplay() throws Exception {
        AiCreditsClient client = client(new Step(429, "{\"message\":\"Too Many Requests\"}"), new Step(503, error("contention")),
                new Step(200, RECORD));
        Recorded recorded = client.record("ws-1", "run-1", "task.execution");
        assertThat(recorded.replay()).as("attempts %d, requests %d", recorded.attempts(), requests.get()).isTrue();
        assertThat(recorded.attempts()).isEqualTo(3);
    }

    @Test
    void anUnavailableAnswerMayHaveCommittedSoTheReplayIsTheDebit() throws Exception {
        assertThat(client(new Step(503, error("unavailable")), new Step(200, RECORD)).record("ws-1", "run-1", "task.execution").created())
                .isTrue();
    }

    @Test
    void fourHundredsAreNeverRetriedAndAreTyped() throws Exception {
        AiCreditsClient client = client(new Step(403, error("byos_not_enabled")));
        assertThatThrownBy(() -> client.record("ws-1", "run-1", "task.execution")).isInstanceOf(AiCreditsException.ByosNotEnabled.class);
        assertThat(requests).hasValue(1);
        // The numbers come from the error's detail, not from the message, whose wording is for people and may change.
        script.set(0, new Step(402, "{\"error\":{\"code\":\"hard_limit_exceeded\",\"message\":\"12 credits more would pass the hard limit"
                + " of 1000 credits\",\"detail\":{\"period\":\"2026-12\",\"credits\":12,\"creditsUsed\":992,\"usageAfter\":1004,"
                + "\"hardLimitPercent\":200,\"creditsAllocated\":500,\"hardLimitCredits\":1000}}}"));
        assertThatThrownBy(() -> client.record("ws-1", "run-1", "task.execution")).isInstanceOfSatisfying(
                AiCreditsException.HardLimitExceeded.class, e -> {
                    assertThat(e.period()).isEqualTo("2026-12");
                    assertThat(e.credits()).isEqualByComparingTo("12");
                    assertThat(e.creditsUsed()).isEqualByComparingTo("992");
                    assertThat(e.usageAfter()).isEqualByComparingTo("1004");
                    assertThat(e.hardLimitPercent()).isEqualTo(200);
                    assertThat(e.creditsAllocated()).isEqualByComparingTo("500");
                    assertThat(e.hardLimitCredits()).isEqualByComparingTo("1000");
                });
        assertThat(requests).hasValue(2);
        // Without a detail (an older API), every amount is null (the percent -1): the message is never parsed.
        script.set(0, new Step(402, "{\"error\":{\"code\":\"hard_limit_exceeded\",\"message\":\"recording 12 credits would bring"
                + " 2026-12 usage to 1004 credits, above the hard limit of 200% of 500 allocated (1000 credits)\"}}"));
        assertThatThrownBy(() -> client.record("ws-1", "run-1", "task.execution")).isInstanceOfSatisfying(
                AiCreditsException.HardLimitExceeded.class, e -> {
                    assertThat(e.credits()).isNull();
                    assertThat(e.hardLimitCredits()).isNull();
                    assertThat(e.hardLimitPercent()).isEqualTo(-1);
                    assertThat(e.period()).isNull();
                });
    }

    /**
     * Issue 30, item 9: a debit attempt says how long it waits, less a margin for the network, so the API gives up on
     * a busy balance (503 contention) before the attempt times out, instead of working on while the client's retry
     * arrives as a second contender. The dry run and the pricing do not retry on the server: they say nothing.
     */
    @Test
    void eachDebitAttemptSaysHowLongItWaitsSoTheServerStopsFirst() throws Exception {
        AiCreditsClient client = client(new Step(503, error("contention")), new Step(201, RECORD));
        client.record("ws-1", "run-1", "task.execution");
        // attemptTimeout 5 s of 30 s in total: a debit's attempt waits the 25 s one ordinary attempt leaves, and the
        // server may work 24,500 ms of it (a quarter, at most 500 ms, left for the network).
        assertThat(timeouts).hasSize(2).allSatisfy(timeout -> assertThat(Long.parseLong(timeout)).isBetween(1L, 24_500L));
        assertThat(Long.parseLong(timeouts.get(0))).isBetween(24_000L, 24_500L);

        script.clear();
        script.add(new Step(200, "{\"allowed\":true,\"creditsConsumed\":1,\"creditsRemainingAfter\":499}"));
        requests.set(0);
        timeouts.clear();
        client.check("ws-1", "run-2", "task.execution");
        assertThat(timeouts).containsExactly((String) null);

        assertThat(AiCreditsClient.serverWait(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(1_500));
        assertThat(AiCreditsClient.serverWait(Duration.ofSeconds(12))).isEqualTo(Duration.ofMillis(11_500));
        assertThat(AiCreditsClient.serverWait(Duration.ofMillis(2))).isEqualTo(Duration.ofMillis(1));
    }

    /**
     * Issue 32, item 4: a debit's attempt waits all but one ordinary attempt of the deadline, so a busy balance ends in
     * the debit's answer rather than a 503 and a retry; what it keeps back still lets an answer lost on the way be
     * asked for again, and that retry's 200 is the debit the silent attempt made.
     */
    @Test
    void aDebitAttemptWaitsAllButOneAttemptOfTheDeadlineSoALostAnswerStillGetsItsRetry() throws Exception {
        AiCreditsClient client = client(Duration.ofMillis(400), Duration.ofMillis(2_000), SILENCE, new Step(200, RECORD));
        long start = System.nanoTime();
        Recorded recorded = client.record("ws-1", "run-1", "task.execution");
        assertThat(recorded.created()).as("the silent attempt may have debited: its replay is this call's debit").isTrue();
        assertThat(recorded.attempts()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1_600));
        // 1,600 ms of 2,000 (less the network's quarter, at most 500 ms: 1,200), then what remains, at most 400 ms (300).
        assertThat(Long.parseLong(timeouts.get(0))).isBetween(1_100L, 1_200L);
        assertThat(Long.parseLong(timeouts.get(1))).isBetween(1L, 300L);
    }

    @Test
    void retriesStopAtTheTotalDeadline() throws Exception {
        AiCreditsClient client = client(Duration.ofMillis(500), Duration.ofSeconds(3), new Step(503, error("unavailable")));
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.record("ws-1", "run-1", "task.execution")).isInstanceOfSatisfying(
                AiCreditsException.Unavailable.class, e -> {
                    // The last attempt gets what is left of the deadline: on a loaded machine that may be too little
                    // for the stub's 503 to arrive, and it ends as a timeout instead.
                    assertThat(e.status() == 503 || "timeout".equals(e.code())).as(e.getMessage()).isTrue();
                    assertThat(e.attempts()).isGreaterThan(3);
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
}
