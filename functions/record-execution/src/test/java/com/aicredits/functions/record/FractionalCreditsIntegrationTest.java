package com.aicredits.functions.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Credits in hundredths through the real handler on our DynamoDB engine (plain, and under production semantics in the
 * failsafe execution that plays them): 10,000 quarter-credit runs from eight threads over four containers add up to
 * exactly 2,500 credits, the hard limit refuses the next run to the hundredth, LEGACY prices an AI task by its LLM model,
 * and a record stored before fractions, renewsAt and llmModel existed still replays byte for byte.
 */
class FractionalCreditsIntegrationTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final DebitFixture api = new DebitFixture("fractions", NOW);

    private static String run(String executionId, String llmModel) {
        return "{\"executionId\":\"" + executionId + "\",\"activity\":\"task.execution\",\"llmModel\":\"" + llmModel + "\"}";
    }

    @Test
    void tenThousandQuarterCreditRunsFromEightThreadsAreExactlyTwoThousandFiveHundredCreditsAndTheNextIsRefused() throws Exception {
        // LEGACY, hard limit 100% of 2,500: the 10,000th quarter lands exactly on the limit.
        api.workspace("ws-quarters", "M_PARTNER", Map.of("pricingModel", "LEGACY", "monthlyCredits", 2_500));
        List<RecordExecutionHandler> containers = List.of(api.newContainer(), api.newContainer(), api.newContainer(), api.newContainer());
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(threads.submit(() -> {
                RecordExecutionHandler container = containers.get(thread % containers.size());
                for (int b = 0; b < 25; b++) {
                    List<String> runs = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        runs.add(run("q-" + thread + "-" + b + "-" + i, "gemini-1-pro"));
                    }
                    DebitFixture.Response answer = DebitFixture.batch(container, "ws-quarters", runs);
                    if (answer.status() != 200) {
                        wrong.add(answer.status() + " " + answer.body());
                        continue;
                    }
                    answer.json().get("results").forEach(result -> {
                        if (result.get("status").asInt() != 201) {
                            wrong.add(result.toString());
                        }
                    });
                }
                return null;
            }));
        }
        for (Future<?> thread : done) {
            thread.get(5, TimeUnit.MINUTES);
        }
        threads.shutdown();

        assertThat(wrong).isEmpty();
        List<JsonNode> ledger = api.ledger("ws-quarters", "2026-11");
        assertThat(ledger).hasSize(10_000);
        BigDecimal used = BigDecimal.ZERO;
        for (int i = 0; i < ledger.size(); i++) {
            JsonNode line = ledger.get(i);
            assertThat(line.get("creditsConsumed").decimalValue()).isEqualByComparingTo("0.25");
            used = used.add(line.get("creditsConsumed").decimalValue());
            assertThat(line.get("sequence").asLong()).isEqualTo(i + 1);
            assertThat(line.get("creditsUsed").decimalValue()).as("line %d", i + 1).isEqualByComparingTo(used);
            assertThat(line.get("creditsRemaining").decimalValue()).isEqualByComparingTo(new BigDecimal(2_500).subtract(used));
            assertThat(line.get("llmModel").asText()).isEqualTo("gemini-1-pro");
        }
        assertThat(used).isEqualByComparingTo("2500");
        assertThat(ledger.getLast().get("creditsUsed").toString()).as("a whole amount, written whole").isEqualTo("2500");
        assertThat(ledger.get(1).get("creditsUsed").toString()).isEqualTo("0.5");
        assertThat(api.balance("ws-quarters", "2026-11").get("used").decimalValue()).isEqualByComparingTo("2500");
        assertThat(api.table.item("WS#ws-quarters", "BALANCE#2026-11").get("used").n()).as("in hundredths").isEqualTo("250000");

        DebitFixture.Response over = api.post("ws-quarters", run("q-over", "gemini-1-pro"));
        assertThat(over.status()).isEqualTo(402);
        assertThat(over.json().get("error").get("detail").get("usageAfter").toString()).isEqualTo("2500.25");
    }

    @Test
    void aLegacyTaskIsPricedByItsLlmModelAnExtendTaskIsNotAndAnotherModelForTheSameIdIs409() {
        api.workspace("ws-legacy-models", "PRO", Map.of("pricingModel", "LEGACY"));
        api.workspace("ws-extend-models", "PRO", Map.of());

        DebitFixture.Response turbo = api.post("ws-legacy-models", run("t-1", "gpt-4-turbo"));
        DebitFixture.Response gemini = api.post("ws-legacy-models", run("t-2", "gemini-1-pro"));
        DebitFixture.Response unlisted = api.post("ws-legacy-models", run("t-3", "mistral-large"));
        DebitFixture.Response extend = api.post("ws-extend-models", run("t-1", "gpt-4-turbo"));

        assertThat(turbo.json().get("creditsConsumed").toString()).isEqualTo("2");
        assertThat(gemini.json().get("creditsConsumed").toString()).isEqualTo("0.25");
        assertThat(gemini.json().get("creditsUsed").toString()).isEqualTo("2.25");
        assertThat(gemini.json().get("creditsAllocated").toString()).as("LEGACY PRO: 100 a month").isEqualTo("100");
        assertThat(gemini.json().get("renewsAt").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(unlisted.json().get("creditsConsumed").toString()).isEqualTo("1");
        assertThat(extend.json().get("creditsConsumed").toString()).as("EXTEND: one run, one price").isEqualTo("1");
        assertThat(extend.json().get("llmModel").asText()).isEqualTo("gpt-4-turbo");
        assertThat(api.post("ws-legacy-models", run("t-2", "gemini-1-pro")).body()).isEqualTo(gemini.body());
        DebitFixture.Response otherModel = api.post("ws-legacy-models", run("t-2", "gpt-4o"));
        assertThat(otherModel.status()).isEqualTo(409);
        assertThat(otherModel.errorCode()).isEqualTo("execution_id_reused");
        assertThat(api.post("ws-legacy-models", "{\"executionId\":\"t-2\",\"activity\":\"task.execution\"}").status())
                .as("the same id naming no model").isEqualTo(409);
        assertThat(api.post("ws-legacy-models", run("t-4", "bad model")).status()).isEqualTo(400);
    }

    @Test
    void aRecordStoredBeforeFractionsRenewsAtAndLlmModelReplaysByteForByte() {
        api.workspace("ws-old", "PRO", Map.of());
        DebitFixture.Response written = api.debit("ws-old", "old-1", "agent.execution");
        // The record as the release before stored it: no renewsAt in its body.
        Map<String, AttributeValue> item = new HashMap<>(api.table.record("ws-old", "old-1"));
        String oldBody = written.body().replace(",\"renewsAt\":\"2026-12-01T00:00:00Z\"", "");
        assertThat(oldBody).doesNotContain("renewsAt").contains("\"creditsConsumed\":6,");
        item.put("body", AttributeValue.fromS(oldBody));
        api.table.client.putItem(b -> b.tableName(api.table.name).item(item));

        DebitFixture.Response replay = api.debit("ws-old", "old-1", "agent.execution");

        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo(oldBody);
    }
}
