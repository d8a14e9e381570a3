package com.aicredits.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.domain.Credits;
import com.aicredits.domain.ExecutionModel;
import com.aicredits.domain.Feature;
import com.aicredits.domain.RefundLine;
import com.aicredits.domain.UsageRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The ledger's bodies byte for byte as the code before {@link LedgerBodies} wrote them ({@code Json.write} of the
 * records, captured into {@code ledger-bodies/} on 2026-12-07 from that code): a debit's body is stored and replayed
 * forever, so a new writer must write exactly what the old one did, and read what it stored.
 */
class LedgerBodiesTest {
    private static final String REASON = "billed twice: \"wrong run\" — café\n<b>&'";
    /** A record as the code before {@code renewsAt} made it (none); a new one carries it. */
    private static final UsageRecord DEBIT = new UsageRecord("exec-2026-11-30.a_1", "ws-acme", "case.investigation",
            Feature.CASE_INVESTIGATION, Credits.of(12), Credits.of(4512), Credits.of(495488), Credits.of(500000), 377, "2026-11",
            "2026-11-30T23:59:59.999Z", "2026-12-01T00:00:00.012Z", "2026-10-01", null, ExecutionModel.PLATFORM, null);

    @Test
    void aDebitsBodyIsWrittenAsBefore() {
        assertThat(LedgerBodies.of(DEBIT)).isEqualTo(fixture("debit.json"));
    }

    @Test
    void aByosDebitsBodyIsWrittenAsBefore() {
        UsageRecord byos = new UsageRecord("byos-7", "ws-acme", "task.execution", Feature.AI_TASK, Credits.ZERO, Credits.of(4512),
                Credits.of(495488), Credits.of(500000), 378, "2026-12", "2026-12-01T00:00:01Z", "2026-12-01T00:00:01.500Z",
                "2026-10-01", null, ExecutionModel.BYOS, null);
        assertThat(LedgerBodies.of(byos)).isEqualTo(fixture("byos-debit.json"));
    }

    /** A refund line is written when refunded, so a new one says when its period renews; the rest as before. */
    @Test
    void aRefundLineIsWrittenAsBeforeWithWhenItsPeriodRenews() {
        RefundLine line = new RefundLine(DEBIT, Credits.of(4890), Credits.of(495110), Credits.of(500000), 412,
                "2026-12-02T10:15:30.001Z", REASON);
        assertThat(LedgerBodies.of(line)).isEqualTo(withRenewsAt(fixture("refund-line.json"), "2026-12-01T00:00:00Z"));
    }

    @Test
    void fractionsAreWrittenExactlyWithoutTrailingZerosAndReadBackToTheSameBytes() {
        UsageRecord quarter = new UsageRecord("gem-1", "ws-acme", "task.execution", Feature.AI_TASK, Credits.parse("0.25"),
                Credits.parse("12.50"), Credits.parse("87.5"), Credits.of(100), 50, "2026-12", "2026-12-07T10:00:00Z",
                "2026-12-07T10:00:00.100Z", "2026-01-01", "2027-01-01T00:00:00Z", ExecutionModel.PLATFORM, "gemini-1-pro");
        String body = LedgerBodies.of(quarter);

        assertThat(body).isEqualTo("{\"executionId\":\"gem-1\",\"workspaceId\":\"ws-acme\",\"activity\":\"task.execution\","
                + "\"feature\":\"AI_TASK\",\"creditsConsumed\":0.25,\"creditsUsed\":12.5,\"creditsRemaining\":87.5,"
                + "\"creditsAllocated\":100,\"sequence\":50,\"period\":\"2026-12\",\"occurredAt\":\"2026-12-07T10:00:00Z\","
                + "\"recordedAt\":\"2026-12-07T10:00:00.100Z\",\"priceVersion\":\"2026-01-01\",\"renewsAt\":\"2027-01-01T00:00:00Z\","
                + "\"model\":\"PLATFORM\",\"llmModel\":\"gemini-1-pro\"}");
        assertThat(LedgerBodies.read(body)).isEqualTo(quarter);
        assertThat(LedgerBodies.of(LedgerBodies.read(body))).isEqualTo(body);
        RefundLine refund = new RefundLine(quarter, Credits.parse("12.25"), Credits.parse("87.75"), Credits.of(100), 51,
                "2026-12-08T00:00:00Z", "duplicate");
        assertThat(LedgerBodies.of(refund)).contains("\"creditsConsumed\":-0.25,\"creditsUsed\":12.25,\"creditsRemaining\":87.75,")
                .endsWith("\"model\":\"PLATFORM\",\"llmModel\":\"gemini-1-pro\"}");
    }

    private static String withRenewsAt(String body, String renewsAt) {
        return body.replace(",\"entry\":\"REFUND\"", ",\"renewsAt\":\"" + renewsAt + "\",\"entry\":\"REFUND\"");
    }

    @Test
    void aStoredBodyReadsBackAndWritesAgainToTheSameBytes() {
        assertThat(LedgerBodies.of(LedgerBodies.read(fixture("debit.json")))).isEqualTo(fixture("debit.json"));
        assertThat(LedgerBodies.of(LedgerBodies.read(fixture("byos-debit.json")))).isEqualTo(fixture("byos-debit.json"));
    }

    @Test
    void aRefundedRecordShowsItsRefundAfterItsBodyAsBefore() {
        assertThat(LedgerBodies.refunded(fixture("debit.json"), "2026-12-02T10:15:30.001Z", REASON))
                .isEqualTo(fixture("refunded-debit.json"));
    }

    /** A record stored before BYOS has no model: it refunds as a PLATFORM run, its own body unchanged. */
    @Test
    void aRecordStoredBeforeByosRefundsAsBefore() {
        String stored = fixture("pre-byos-debit.json");
        UsageRecord old = LedgerBodies.read(stored);
        assertThat(old.model()).isNull();
        assertThat(LedgerBodies.of(old)).isEqualTo(stored);
        assertThat(LedgerBodies.of(new RefundLine(old, Credits.of(100), Credits.of(4900), Credits.of(5000), 9,
                "2026-12-02T10:15:30.001Z", "duplicate"))).isEqualTo(withRenewsAt(fixture("pre-byos-refund-line.json"), "2026-06-01T00:00:00Z"));
        assertThat(LedgerBodies.refunded(stored, "2026-12-02T10:15:30.001Z", "duplicate"))
                .isEqualTo(fixture("refunded-pre-byos-debit.json"));
    }

    private static String fixture(String name) {
        try (var in = Objects.requireNonNull(LedgerBodiesTest.class.getResourceAsStream("/ledger-bodies/" + name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
