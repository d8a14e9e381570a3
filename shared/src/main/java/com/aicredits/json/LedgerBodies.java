package com.aicredits.json;

import com.aicredits.domain.Credits;
import com.aicredits.domain.RefundLine;
import com.aicredits.domain.UsageRecord;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The ledger's lines as the API answers them and the table stores them: a debit's body is written once, stored with its
 * record and answered byte for byte on every replay, forever; so the field order and spelling here never change (the
 * test holds them to bodies written before this class existed).
 */
public final class LedgerBodies {
    private LedgerBodies() {
    }

    /**
     * A debit's record. {@code renewsAt} and {@code model} are written when known (records stored before them have
     * neither), {@code llmModel} when the run named one.
     */
    public static String of(UsageRecord record) {
        return write(json -> {
            runFields(json, record.executionId(), record.workspaceId(), record.activity(), record.feature().name(),
                    record.creditsConsumed(), record.creditsUsed(), record.creditsRemaining(), record.creditsAllocated(),
                    record.sequence(), record.period(), record.occurredAt(), record.recordedAt(), record.priceVersion());
            if (record.renewsAt() != null) {
                json.writeStringField("renewsAt", record.renewsAt());
            }
            if (record.model() != null) {
                json.writeStringField("model", record.model().name());
            }
            if (record.llmModel() != null) {
                json.writeStringField("llmModel", record.llmModel());
            }
            if (record.pool() != null) {
                json.writeStringField("pool", record.pool());
            }
        });
    }

    /** A refund's ledger line. */
    public static String of(RefundLine line) {
        return write(json -> {
            runFields(json, line.executionId(), line.workspaceId(), line.activity(), line.feature().name(),
                    line.creditsConsumed(), line.creditsUsed(), line.creditsRemaining(), line.creditsAllocated(),
                    line.sequence(), line.period(), line.occurredAt(), line.recordedAt(), line.priceVersion());
            json.writeStringField("renewsAt", line.renewsAt());
            json.writeStringField("entry", RefundLine.ENTRY);
            json.writeStringField("refundReason", line.refundReason());
            json.writeStringField("model", line.model().name());
            if (line.refunded().llmModel() != null) {
                json.writeStringField("llmModel", line.refunded().llmModel());
            }
        });
    }

    /** A stored debit's body read back (a refund needs its figures). */
    public static UsageRecord read(String body) {
        return Json.readObject(body, UsageRecord.class);
    }

    /** The record as lists and the refund answer show it once refunded: the debit's body, plus when and why. */
    public static String refunded(String body, String refundedAt, String reason) {
        return body.substring(0, body.lastIndexOf('}')) + ",\"refundedAt\":" + Json.write(refundedAt)
                + ",\"refundReason\":" + Json.write(reason) + "}";
    }

    private static void runFields(JsonGenerator json, String executionId, String workspaceId, String activity, String feature,
                                  Credits creditsConsumed, Credits creditsUsed, Credits creditsRemaining, Credits creditsAllocated,
                                  long sequence, String period, String occurredAt, String recordedAt, String priceVersion)
            throws IOException {
        json.writeStringField("executionId", executionId);
        json.writeStringField("workspaceId", workspaceId);
        json.writeStringField("activity", activity);
        json.writeStringField("feature", feature);
        // A whole amount is written as before fractions existed (12, not 12.00): stored bodies keep replaying unchanged.
        json.writeNumberField("creditsConsumed", creditsConsumed.decimal());
        json.writeNumberField("creditsUsed", creditsUsed.decimal());
        json.writeNumberField("creditsRemaining", creditsRemaining.decimal());
        json.writeNumberField("creditsAllocated", creditsAllocated.decimal());
        json.writeNumberField("sequence", sequence);
        json.writeStringField("period", period);
        json.writeStringField("occurredAt", occurredAt);
        json.writeStringField("recordedAt", recordedAt);
        json.writeStringField("priceVersion", priceVersion);
    }

    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static String write(Fields fields) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
