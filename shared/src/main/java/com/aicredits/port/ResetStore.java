package com.aicredits.port;

import com.aicredits.domain.Balance;
import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Organization;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.SummaryHistory;
import com.aicredits.domain.Workspace;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the monthly reset reads and writes besides balances: the index of every workspace, paged, and one summary
 * marker per ledger owner (a workspace, or an organization's credit pool) and closed period, claimed with a
 * conditional write before its email is sent, and keeping the recipients already served when the email went to each
 * recipient alone.
 */
public interface ResetStore {

    /** How many partitions the workspace index has; a pass reads shards 0 to {@code workspaceShards() - 1}. */
    int workspaceShards();

    /** Up to {@code limit} workspaces of {@code shard} in id order, after {@code afterWorkspaceId} (null: from the start). */
    WorkspacePage workspaces(int shard, String afterWorkspaceId, int limit);

    /** For each workspace, strongly consistent: the balances of both periods and the closing period's summary marker. */
    Map<String, PeriodStates> states(Collection<String> workspaceIds, Period opening, Period closing);

    /**
     * For each organization, strongly consistent: the organization, its pool's balances of both periods and the
     * closing period's pool summary marker.
     */
    Map<String, PoolStates> poolStates(Collection<String> organizationIds, Period opening, Period closing);

    /**
     * Claims {@code whose} summary of {@code period}: succeeds if nobody claimed it, or if the claim there is unsent and its
     * lease is over by {@code now} (its holder is gone), or if the unsent claim there is {@code owner}'s own (a retry
     * whose first response was lost). The new claim is {@code owner}'s until {@code leaseUntil} (exclusive);
     * {@code owner} must name one claimant only (see {@code service.MonthlyReset#run}). The claim tells the recipients
     * an earlier claim served ({@link Claim.Claimed}): they are not sent the summary again.
     */
    Claim claimSummary(LedgerOwner whose, Period period, String owner, Instant now, Instant leaseUntil);

    /** Marks the summary sent; false if {@code owner} no longer holds the claim. */
    boolean markSummarySent(LedgerOwner whose, Period period, String owner, String messageId, Instant sentAt);

    /**
     * The summary went to {@code recipient} alone ({@code messageId}: that send's); it is not sent to them again,
     * whoever claims it next. False if {@code owner} no longer holds the claim (nothing is marked).
     */
    boolean markSummaryRecipientSent(LedgerOwner whose, Period period, String owner, String recipient, String messageId);

    /**
     * The provider refuses the summary to {@code recipient} for good: parked (done, not sent), with why and when, never
     * tried again. False if {@code owner} no longer holds the claim (nothing is marked).
     */
    boolean markSummaryRecipientParked(LedgerOwner whose, Period period, String owner, String recipient, String reason,
                                       Instant at);

    /**
     * Gives an unsent claim up: anyone, {@code owner} included, may claim it again from {@code claimableFrom} on (at
     * once when the email was refused, so the next attempt need not wait for the lease; later when SES may have
     * accepted it).
     */
    void releaseSummary(LedgerOwner whose, Period period, String owner, Instant claimableFrom);

    /**
     * What the summary of {@code period} tells beside its balance: the balance of the month before (strongly
     * consistent; a pool's ledger for an organization) and the thresholds that fired in {@code period} (its alert
     * markers).
     */
    SummaryHistory summaryHistory(LedgerOwner whose, Period period);

    /** A page of the workspace index; {@code last} is null when the shard has no more. */
    record WorkspacePage(List<Workspace> workspaces, String last) {
        public WorkspacePage {
            workspaces = List.copyOf(workspaces);
        }
    }

    /** A workspace's state for the reset; absent items are null. */
    record PeriodStates(Balance opening, Balance closing, SummaryMarker summary) {
    }

    /** An organization and its pool for the reset; absent items are null. */
    record PoolStates(Organization organization, PoolBalance opening, PoolBalance closing, SummaryMarker summary) {
    }

    /** A summary marker: {@code sent}, or claimed by {@code owner} until {@code leaseUntil}. */
    record SummaryMarker(boolean sent, String owner, Instant leaseUntil, int claims) {
    }

    sealed interface Claim {
        /**
         * Ours: send, then mark. {@code recipientsDone}: the recipients an earlier claim served (sent, or parked for
         * good), not to be sent it again; {@code messageId}: the last of those sends' (null: none was sent).
         */
        record Claimed(Set<String> recipientsDone, String messageId) implements Claim {
            public Claimed {
                recipientsDone = Set.copyOf(recipientsDone);
            }

            /** Ours, no recipient served before. */
            public Claimed() {
                this(Set.of(), null);
            }
        }

        /** Sent before: nothing to do. */
        record AlreadySent() implements Claim {
        }

        /** Another run holds it until {@code leaseUntil}: it is sending, or it died and its lease will run out. */
        record HeldUntil(Instant leaseUntil) implements Claim {
        }
    }
}
