package com.aicredits.json;

import static org.assertj.core.api.Assertions.assertThat;

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
    private static final UsageRecord DEBIT = new UsageRecord("exec-2026-11-30.a_1", "ws-acme", "case.investigation",
            Feature.CASE_INVESTIGATION, 12, 4512, 495488, 500000, 377, "2026-11", "2026-11-30T23:59:59.999Z",
            "2026-12-01T00:00:00.012Z", "2026-10-01", ExecutionModel.PLATFORM);

    @Test
    void aDebitsBodyIsWrittenAsBefore() {
        assertThat(LedgerBodies.of(DEBIT)).isEqualTo(fixture("debit.json"));
    }

    @Test
    void aByosDebitsBodyIsWrittenAsBefore() {
        UsageRecord byos = new UsageRecord("byos-7", "ws-acme", "task.execution", Feature.AI_TASK, 0, 4512, 495488, 500000,
                378, "2026-12", "2026-12-01T00:00:01Z", "2026-12-01T00:00:01.500Z", "2026-10-01", ExecutionModel.BYOS);
        assertThat(LedgerBodies.of(byos)).isEqualTo(fixture("byos-debit.json"));
    }

    @Test
    void aRefundLineIsWrittenAsBefore() {
        RefundLine line = new RefundLine(DEBIT, 4890, 495110, 500000, 412, "2026-12-02T10:15:30.001Z", REASON);
        assertThat(LedgerBodies.of(line)).isEqualTo(fixture("refund-line.json"));
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
        assertThat(LedgerBodies.of(new RefundLine(old, 100, 4900, 5000, 9, "2026-12-02T10:15:30.001Z", "duplicate")))
                .isEqualTo(fixture("pre-byos-refund-line.json"));
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
