package com.aicredits.functions.threshold;

import com.aicredits.adapter.dynamodb.StreamImages;
import com.aicredits.app.Production;
import com.aicredits.app.Services;
import com.aicredits.domain.Balance;
import com.aicredits.domain.BalanceChange;
import com.aicredits.domain.PoolBalance;
import com.aicredits.observability.Log;
import com.aicredits.service.AlertService;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb.DynamodbAttributeValueTransformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * On the table's stream (filtered to balance items: workspaces' and organizations' pools'): for each balance changed
 * in the batch, fires the alerts any of its debits reached (not only its latest state, so batching changes nothing). A
 * pool's balance fires the pool's alerts; a workspace's drawing from the pool fires none. A balance whose alerts cannot be
 * delivered is reported as a batch item failure at its first record, so Lambda retries from there; everything already
 * delivered is marked and not sent again.
 */
public final class ThresholdEvaluatorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final AlertService alerts;

    public ThresholdEvaluatorHandler() {
        this(Production.services());
    }

    public ThresholdEvaluatorHandler(Services services) {
        this(services.alerts());
    }

    public ThresholdEvaluatorHandler(AlertService alerts) {
        this.alerts = alerts;
    }

    /**
     * The records of one balance item in this batch, in stream order: a workspace's ({@code workspaceId}) or an
     * organization's pool's ({@code organizationId}).
     */
    private record BalanceChanges(String workspaceId, String organizationId, String firstSequenceNumber,
                                  List<DynamodbEvent.DynamodbStreamRecord> records) {
        boolean pool() {
            return organizationId != null;
        }
    }

    /** Left unused at the end of an invocation that waits for a resend (its Timeout is 15 s). */
    static final Duration WAIT_RESERVE = Duration.ofSeconds(3);

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        try (Log.Scope ignored = Log.invocation(context, null)) {
            Handled handled = handle(event);
            waitForResend(handled.resendIn(), context);
            return handled.response();
        }
    }

    /** The answer, and how soon the earliest alert waiting for a resend is due (null: none waits). */
    private record Handled(StreamsEventResponse response, Duration resendIn) {
    }

    /**
     * The stream retries a failed batch at once; an alert whose resend is not yet due would only spend those retries.
     * So the invocation waits what it can afford of that time first (never past its own Timeout, less a reserve).
     */
    private static void waitForResend(Duration wait, Context context) {
        if (wait == null || context == null) {
            return;
        }
        Duration affordable = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(WAIT_RESERVE);
        Duration pause = wait.compareTo(affordable) < 0 ? wait : affordable;
        if (pause.isNegative() || pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The earlier of {@code soonest} and any resend {@code failure} (or one suppressed in it) waits for. */
    private static Duration resendIn(RuntimeException failure, Duration soonest) {
        List<Throwable> all = new ArrayList<>(List.of(failure.getSuppressed()));
        all.add(failure);
        Duration result = soonest;
        for (Throwable each : all) {
            if (each instanceof AlertService.ResendNotYetDue due && (result == null || due.retryIn().compareTo(result) < 0)) {
                result = due.retryIn();
            }
        }
        return result;
    }

    private Handled handle(DynamodbEvent event) {
        Map<String, BalanceChanges> byBalance = new LinkedHashMap<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            Map<String, AttributeValue> keys = DynamodbAttributeValueTransformer.toAttributeValueMapV2(record.getDynamodb().getKeys());
            boolean pool = StreamImages.isPoolBalance(keys);
            if (!StreamImages.isBalance(keys) && !pool || record.getDynamodb().getNewImage() == null) {
                continue;
            }
            String key = keys.get("PK").s() + "|" + keys.get("SK").s();
            byBalance.computeIfAbsent(key, k -> new BalanceChanges(pool ? null : StreamImages.workspaceId(keys),
                            pool ? StreamImages.organizationId(keys) : null, record.getDynamodb().getSequenceNumber(),
                            new ArrayList<>()))
                    .records().add(record);
        }
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        Duration resendIn = null;
        for (BalanceChanges changes : byBalance.values()) {
            // From the key, before any image is parsed: a malformed one is logged as its own workspace's.
            Log.workspace(changes.workspaceId());
            try {
                if (changes.pool()) {
                    alerts.poolChanged(changes.records().stream().map(ThresholdEvaluatorHandler::poolChange).toList());
                } else {
                    alerts.balanceChanged(changes.records().stream().map(ThresholdEvaluatorHandler::change).toList());
                }
            } catch (AlertService.ResendNotYetDue e) {
                Log.info("an alert waits before it is sent again; the stream retries from this record",
                        "sequenceNumber", changes.firstSequenceNumber(), "organizationId", changes.organizationId(),
                        "cause", e.getMessage());
                resendIn = resendIn(e, resendIn);
                failures.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(changes.firstSequenceNumber()).build());
            } catch (RuntimeException e) {
                Log.error("alert delivery failed; the stream retries from this record", e,
                        "sequenceNumber", changes.firstSequenceNumber(), "organizationId", changes.organizationId());
                resendIn = resendIn(e, resendIn);
                failures.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(changes.firstSequenceNumber()).build());
            }
        }
        return new Handled(StreamsEventResponse.builder().withBatchItemFailures(failures).build(), resendIn);
    }

    private static BalanceChange change(DynamodbEvent.DynamodbStreamRecord record) {
        return change(record, StreamImages.balance(
                DynamodbAttributeValueTransformer.toAttributeValueMapV2(record.getDynamodb().getNewImage())));
    }

    private static BalanceChange change(DynamodbEvent.DynamodbStreamRecord record, Balance balance) {
        boolean debited = used(record.getDynamodb().getNewImage()) > used(record.getDynamodb().getOldImage());
        boolean blocked = balance.blockedAt() != null
                && (record.getDynamodb().getOldImage() == null || !record.getDynamodb().getOldImage().containsKey("blockedAt"));
        Instant at = record.getDynamodb().getApproximateCreationDateTime() == null ? Instant.now()
                : record.getDynamodb().getApproximateCreationDateTime().toInstant();
        return new BalanceChange(balance, debited, at, blocked);
    }

    /**
     * A change of a pool's balance, as its ledger: only an enabled pool's usage growth counts as a debit (a disabled
     * pool takes none; enabling it again carries its workspaces' usage in, which counts, as the pool's usage starts there).
     */
    private static BalanceChange poolChange(DynamodbEvent.DynamodbStreamRecord record) {
        PoolBalance pool = StreamImages.poolBalance(
                DynamodbAttributeValueTransformer.toAttributeValueMapV2(record.getDynamodb().getNewImage()));
        BalanceChange change = change(record, pool.ledger());
        return new BalanceChange(change.balance(), change.debited() && pool.enabled(), change.at(), change.blocked());
    }

    private static long used(Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        if (image == null || image.get("used") == null) {
            return 0;
        }
        return Long.parseLong(image.get("used").getN());
    }
}
