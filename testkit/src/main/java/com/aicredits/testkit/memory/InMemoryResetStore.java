package com.aicredits.testkit.memory;

import com.aicredits.domain.LedgerOwner;
import com.aicredits.domain.Period;
import com.aicredits.domain.PoolBalance;
import com.aicredits.domain.SummaryHistory;
import com.aicredits.domain.Workspace;
import com.aicredits.port.ResetStore;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@link ResetStore} in memory, beside an {@link InMemoryCreditStore} (whose workspaces it lists and whose balances
 * it reads), with the DynamoDB adapter's contract: the workspace index in shards (by the id's hash, as the table's
 * GSI2), paged in id order; a summary (a workspace's or an organization's pool's) claimed by a conditional write, taken over only once its lease is over (or by
 * its own owner again), marked sent (or a recipient of it served) only by its holder, released to be claimable from a
 * given time; the recipients served are kept from claim to claim and told to each claim.
 */
public final class InMemoryResetStore implements ResetStore {
    private final InMemoryCreditStore credits;
    private final Supplier<Map<String, Workspace>> workspaces;
    private final int shards;
    private final Map<String, Marker> summaries = new HashMap<>();
    private Runnable beforeNextClaim;

    /**
     * A summary marker as stored; {@code owner} null once released; {@code messageId} the last send's (a recipient's
     * while claimed, the summary's once sent).
     */
    private record Marker(boolean sent, String owner, Instant leaseUntil, int claims, String messageId, Set<String> recipientsDone) {
        Marker {
            recipientsDone = Set.copyOf(recipientsDone);
        }

        Claim.Claimed claimed() {
            return new Claim.Claimed(recipientsDone, messageId);
        }
    }

    public InMemoryResetStore(InMemoryCreditStore credits, int shards) {
        this.credits = credits;
        this.workspaces = credits::workspaces;
        this.shards = shards;
    }

    /** Runs {@code interloper} just before the next claim (another run claiming first, a crash, ...). */
    public synchronized InMemoryResetStore beforeNextClaim(Runnable interloper) {
        this.beforeNextClaim = interloper;
        return this;
    }

    /** The message id a workspace's summary was marked sent with, or null. */
    public String sentMessageId(String workspaceId, Period period) {
        return sentMessageId(LedgerOwner.workspace(workspaceId), period);
    }

    /** The message id {@code whose} summary was marked sent with, or null. */
    public synchronized String sentMessageId(LedgerOwner whose, Period period) {
        Marker marker = summaries.get(key(whose, period));
        return marker == null || !marker.sent() ? null : marker.messageId();
    }

    /** A workspace's summary marker as the reset reads it, or null. */
    public SummaryMarker summary(String workspaceId, Period period) {
        return summary(LedgerOwner.workspace(workspaceId), period);
    }

    /** {@code whose} summary marker as the reset reads it, or null. */
    public synchronized SummaryMarker summary(LedgerOwner whose, Period period) {
        Marker marker = summaries.get(key(whose, period));
        return marker == null ? null : new SummaryMarker(marker.sent(), marker.owner(), marker.leaseUntil(), marker.claims());
    }

    private static String key(LedgerOwner whose, Period period) {
        return whose + "#" + period;
    }

    @Override
    public int workspaceShards() {
        return shards;
    }

    @Override
    public WorkspacePage workspaces(int shard, String afterWorkspaceId, int limit) {
        List<Workspace> ofShard = workspaces.get().values().stream()
                .filter(workspace -> Math.floorMod(workspace.workspaceId().hashCode(), shards) == shard)
                .filter(workspace -> afterWorkspaceId == null || workspace.workspaceId().compareTo(afterWorkspaceId) > 0)
                .sorted((a, b) -> a.workspaceId().compareTo(b.workspaceId()))
                .toList();
        List<Workspace> page = ofShard.subList(0, Math.min(limit, ofShard.size()));
        return new WorkspacePage(page, ofShard.size() > limit ? page.getLast().workspaceId() : null);
    }

    @Override
    public synchronized Map<String, PeriodStates> states(Collection<String> workspaceIds, Period opening, Period closing) {
        Map<String, PeriodStates> states = new LinkedHashMap<>();
        for (String id : workspaceIds) {
            states.put(id, new PeriodStates(credits.balance(id, opening), credits.balance(id, closing), summary(id, closing)));
        }
        return states;
    }

    @Override
    public synchronized Map<String, PoolStates> poolStates(Collection<String> organizationIds, Period opening, Period closing) {
        Map<String, PoolStates> states = new LinkedHashMap<>();
        for (String id : organizationIds) {
            states.put(id, new PoolStates(credits.findOrganization(id, true).orElse(null), credits.pool(id, opening),
                    credits.pool(id, closing), summary(LedgerOwner.organization(id), closing)));
        }
        return states;
    }

    @Override
    public Claim claimSummary(LedgerOwner whose, Period period, String owner, Instant now, Instant leaseUntil) {
        Runnable interloper;
        synchronized (this) {
            interloper = beforeNextClaim;
            beforeNextClaim = null;
        }
        if (interloper != null) {
            interloper.run();
        }
        synchronized (this) {
            String key = key(whose, period);
            Marker marker = summaries.get(key);
            if (marker == null) {
                summaries.put(key, new Marker(false, owner, leaseUntil, 1, null, Set.of()));
                return new Claim.Claimed();
            }
            if (!marker.sent() && !marker.leaseUntil().isAfter(now)) {
                Marker taken = new Marker(false, owner, leaseUntil, marker.claims() + 1, marker.messageId(), marker.recipientsDone());
                summaries.put(key, taken);
                return taken.claimed();
            }
            if (marker.sent()) {
                return new Claim.AlreadySent();
            }
            return owner.equals(marker.owner()) ? marker.claimed() : new Claim.HeldUntil(marker.leaseUntil());
        }
    }

    @Override
    public boolean markSummarySent(LedgerOwner whose, Period period, String owner, String messageId, Instant sentAt) {
        return updateOwnClaim(whose, period, owner,
                marker -> new Marker(true, owner, null, marker.claims(), messageId, marker.recipientsDone()));
    }

    @Override
    public boolean markSummaryRecipientSent(LedgerOwner whose, Period period, String owner, String recipient, String messageId) {
        return updateOwnClaim(whose, period, owner, marker -> withRecipient(marker, recipient, messageId));
    }

    @Override
    public boolean markSummaryRecipientParked(LedgerOwner whose, Period period, String owner, String recipient, String reason,
                                              Instant at) {
        return updateOwnClaim(whose, period, owner, marker -> withRecipient(marker, recipient, marker.messageId()));
    }

    @Override
    public void releaseSummary(LedgerOwner whose, Period period, String owner, Instant claimableFrom) {
        updateOwnClaim(whose, period, owner, marker -> new Marker(false, null, claimableFrom, marker.claims(), marker.messageId(),
                marker.recipientsDone()));
    }

    private static Marker withRecipient(Marker marker, String recipient, String messageId) {
        Set<String> done = new HashSet<>(marker.recipientsDone());
        done.add(recipient);
        return new Marker(false, marker.owner(), marker.leaseUntil(), marker.claims(), messageId, done);
    }

    /** Applies {@code change} if the summary is still an unsent claim of {@code owner}'s, as the table's condition; false if not. */
    private synchronized boolean updateOwnClaim(LedgerOwner whose, Period period, String owner, UnaryOperator<Marker> change) {
        String key = key(whose, period);
        Marker marker = summaries.get(key);
        if (marker == null || marker.sent() || !owner.equals(marker.owner())) {
            return false;
        }
        summaries.put(key, change.apply(marker));
        return true;
    }

    /** The month before from the ledger; the thresholds reached are not kept here (no alert markers in memory yet). */
    @Override
    public SummaryHistory summaryHistory(LedgerOwner whose, Period period) {
        if (whose.isOrganization()) {
            PoolBalance before = credits.pool(whose.id(), period.previous());
            return new SummaryHistory(before == null ? null : before.ledger(), List.of());
        }
        return new SummaryHistory(credits.balance(whose.id(), period.previous()), List.of());
    }
}
