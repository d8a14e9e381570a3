package com.aicredits.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link AiCreditsClient#record}'s batching: concurrent runs of one workspace go out as one batch call, and each caller
 * gets its own run's answer as its own single call would have.
 *
 * <p>The rule, per workspace (a {@link Lane}): a run that finds no call of its workspace in flight and none waiting is
 * sent at once on its own single call ({@code POST …/executions}), exactly as without batching; a run that finds one
 * waits in the lane's queue. The thread of the queue's first run is the batch's leader: it sends the batch, on its own
 * thread, as soon as (a) no call of the workspace is in flight any more, (b) {@code maxBatch} runs wait, or (c) its own
 * run has waited the window and fewer than {@code maxInFlight} calls of the workspace are on their way; every other
 * caller sleeps until its answer is there. With the default of one call in flight, the runs that arrive while a call is
 * on its way all leave together when it answers: on a busy workspace each call carries as many runs as arrived during
 * the last one, and a client never races itself for the workspace's balance (which commits one transaction at a time,
 * docs/design.md "Scale, measured"). A batch takes the queue's runs in
 * order, up to {@code maxBatch}, skipping a run whose executionId it holds already (the API would refuse the whole
 * batch): that run stays first in line for the next batch, due at once. A batch of one run is sent as a single call.
 *
 * <p>Hence no thread of its own and nothing to close; memory is one small object per waiting caller (whose thread is
 * blocked anyway) and one lane per workspace with calls in flight, dropped when it is idle.
 *
 * <p>Answers are handed over as data and turned into the caller's {@link Recorded} or exception on the caller's own
 * thread: each caller gets its own exception instance, with its own stack trace.
 */
final class AutoBatcher {
    /** After a batch call answered that the API has no batch route, how long runs go alone before batching again. */
    static final Duration ROUTE_RECHECK = Duration.ofMinutes(5);
    /** How many waiting runs one batch looks at, at most, to find runs whose executionId it does not hold yet. */
    private static final int SCAN_FACTOR = 4;

    private final AiCreditsClient client;
    private final long windowNanos;
    private final int maxBatch;
    private final int maxInFlight;
    private final long totalNanos;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    /** System.nanoTime() when a batch call found no batch route (an API older than it), or null. */
    private volatile Long routeMissingSince;

    AutoBatcher(AiCreditsClient client, Duration window, int maxBatch, int maxInFlight, Duration totalTimeout) {
        this.client = client;
        this.windowNanos = window.toNanos();
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.totalNanos = totalTimeout.toNanos();
    }

    /** One workspace's calls: those in flight (counted) and the runs waiting for a batch. */
    private final class Lane {
        final String workspaceId;
        final ReentrantLock lock = new ReentrantLock();
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        /** Single and batch calls of this lane on their way; guarded by lock. */
        int inFlight;
        /** Removed from lanes: whoever finds it so takes the lane that is there now. */
        boolean retired;

        Lane(String workspaceId) {
            this.workspaceId = workspaceId;
        }
    }

    /** A caller's run, from the time it waits to its answer; fields guarded by its lane's lock. */
    private static final class Pending {
        final String executionId;
        final String item;
        final long started;
        final Condition wake;
        /** In a batch on its way: no longer the queue's. */
        boolean taken;
        Result result;

        Pending(String executionId, String item, long started, Condition wake) {
            this.executionId = executionId;
            this.item = item;
            this.started = started;
            this.wake = wake;
        }
    }

    /**
     * What a run came to: its record, the single-call answer that refuses it, a failure of the whole call, or
     * {@code alone} (the API cannot take it in a batch: the caller sends it on its own call).
     */
    private static final class Result {
        static final Result ALONE = new Result(null, null, null);
        final Recorded recorded;
        final AiCreditsClient.Answer refused;
        final RuntimeException failed;

        Result(Recorded recorded, AiCreditsClient.Answer refused, RuntimeException failed) {
            this.recorded = recorded;
            this.refused = refused;
            this.failed = failed;
        }
    }

    Recorded record(String workspaceId, String executionId, String item, long started) {
        long deadline = started + totalNanos;
        Long missing = routeMissingSince;
        if (missing != null) {
            if (System.nanoTime() - missing < ROUTE_RECHECK.toNanos()) {
                return client.recordAlone(workspaceId, item, deadline);
            }
            routeMissingSince = null;
        }
        Lane lane = enter(workspaceId);
        Pending pending = null;
        try {
            if (lane.inFlight == 0 && lane.queue.isEmpty()) {
                lane.inFlight++; // nothing to wait for: this run goes now, on its own, as it would without batching
            } else {
                pending = new Pending(executionId, item, started, lane.lock.newCondition());
                lane.queue.addLast(pending);
                if (lane.queue.size() >= maxBatch) {
                    lane.queue.peekFirst().wake.signal(); // a full batch leaves at once
                }
            }
        } finally {
            lane.lock.unlock();
        }
        if (pending == null) {
            try {
                return client.recordAlone(workspaceId, item, deadline);
            } finally {
                leave(lane);
            }
        }
        List<Pending> batch = awaitTurn(lane, pending);
        if (batch != null) {
            send(lane, batch);
        }
        return outcome(workspaceId, pending);
    }

    /** Runs waiting for a batch of {@code workspaceId}. */
    int waiting(String workspaceId) {
        Lane lane = lanes.get(workspaceId);
        if (lane == null) {
            return 0;
        }
        lane.lock.lock();
        try {
            return lane.queue.size();
        } finally {
            lane.lock.unlock();
        }
    }

    /** The workspace's lane, locked. */
    private Lane enter(String workspaceId) {
        while (true) {
            Lane lane = lanes.computeIfAbsent(workspaceId, Lane::new);
            lane.lock.lock();
            if (!lane.retired) {
                return lane;
            }
            lane.lock.unlock();
        }
    }

    /** A call of the lane has ended. */
    private void leave(Lane lane) {
        lane.lock.lock();
        try {
            lane.inFlight--;
            settle(lane);
        } finally {
            lane.lock.unlock();
        }
    }

    /**
     * Under the lock, after a call ended: the first waiting run looks again whether its batch is due (at once with nothing
     * in flight); an idle lane is dropped.
     */
    private void settle(Lane lane) {
        if (!lane.queue.isEmpty()) {
            lane.queue.peekFirst().wake.signal();
        } else if (lane.inFlight == 0) {
            lane.retired = true;
            lanes.remove(lane.workspaceId, lane);
        }
    }

    /**
     * Waits until the run has its answer (then null), or until it is first in line and its batch is due: then takes the
     * batch out of the queue and returns it, for this thread to send.
     */
    private List<Pending> awaitTurn(Lane lane, Pending pending) {
        lane.lock.lock();
        try {
            while (pending.result == null) {
                if (!pending.taken && lane.queue.peekFirst() == pending) {
                    long waited = System.nanoTime() - pending.started;
                    boolean room = lane.inFlight < maxInFlight;
                    if (lane.inFlight == 0 || lane.queue.size() >= maxBatch || room && waited >= windowNanos) {
                        List<Pending> batch = take(lane);
                        lane.inFlight++;
                        return batch;
                    }
                    if (room) {
                        pending.wake.awaitNanos(windowNanos - waited);
                    } else {
                        pending.wake.await(); // until a call ends (settle) or the batch fills (record)
                    }
                } else {
                    pending.wake.await();
                }
            }
            return null;
        } catch (InterruptedException e) {
            // As a single call interrupted while it waits for its answer: Unavailable; a run already on its way may be
            // recorded (the caller calls again with the same executionId, as after any Unavailable).
            if (!pending.taken && lane.queue.remove(pending)) {
                settle(lane); // the next in line looks whether its batch is due
            }
            Thread.currentThread().interrupt();
            throw new AiCreditsException.Unavailable(0, "interrupted", "interrupted while recording " + pending.executionId, e, 0);
        } finally {
            lane.lock.unlock();
        }
    }

    /** Under the lock: the next batch, the queue's runs in order with distinct executionIds, at most maxBatch. */
    private List<Pending> take(Lane lane) {
        List<Pending> batch = new ArrayList<>(Math.min(lane.queue.size(), maxBatch));
        Set<String> ids = new HashSet<>();
        List<Pending> later = null;
        for (int looked = 0; batch.size() < maxBatch && looked < SCAN_FACTOR * maxBatch && !lane.queue.isEmpty(); looked++) {
            Pending next = lane.queue.pollFirst();
            if (ids.add(next.executionId)) {
                next.taken = true;
                batch.add(next);
            } else {
                if (later == null) {
                    later = new ArrayList<>();
                }
                later.add(next);
            }
        }
        if (later != null) { // first in line for the next batch, in their order
            for (int i = later.size() - 1; i >= 0; i--) {
                lane.queue.addFirst(later.get(i));
            }
        }
        if (!lane.queue.isEmpty()) {
            lane.queue.peekFirst().wake.signal(); // the next batch's leader: its own window, or at once if overdue
        }
        return batch;
    }

    /**
     * Sends a batch on this thread, then hands each run its result. The batch's deadline is that of its earliest caller
     * (usually the first run): so no caller of it waits past its own total timeout.
     */
    private void send(Lane lane, List<Pending> batch) {
        Result[] results = new Result[batch.size()];
        long started = batch.get(0).started;
        for (Pending pending : batch) {
            started = pending.started - started < 0 ? pending.started : started;
        }
        long deadline = started + totalNanos;
        try {
            if (batch.size() == 1) {
                try {
                    results[0] = new Result(client.recordAlone(lane.workspaceId, batch.get(0).item, deadline), null, null);
                } catch (AiCreditsException e) {
                    results[0] = new Result(null, null, e);
                }
            } else {
                fill(results, lane.workspaceId, batch, deadline);
            }
        } catch (RuntimeException | Error e) { // the token supplier's exception, say: every caller gets it
            RuntimeException failure = e instanceof RuntimeException ? (RuntimeException) e
                    : new AiCreditsException.Unexpected(0, "client_error", "the batch failed: " + e);
            for (int i = 0; i < results.length; i++) {
                results[i] = results[i] != null ? results[i] : new Result(null, null, failure);
            }
            if (e instanceof Error) {
                deliver(lane, batch, results);
                throw (Error) e;
            }
        }
        deliver(lane, batch, results);
    }

    private void fill(Result[] results, String workspaceId, List<Pending> batch, long deadline) {
        List<String> items = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            items.add(pending.item);
        }
        AiCreditsClient.BatchAnswer answer;
        try {
            answer = client.exchangeBatch(workspaceId, items, deadline);
        } catch (AiCreditsException e) { // no definite answer, or a 200 that is no batch's answer
            Arrays.fill(results, new Result(null, null, e));
            return;
        }
        if (answer.items() != null) {
            for (int i = 0; i < results.length; i++) {
                AiCreditsClient.ItemAnswer item = answer.items().get(i);
                results[i] = new Result(item.recorded(), item.refused(), null);
            }
        } else if (answer.lacksTheRoute() || answer.whole().status() == 413) {
            // An API older than the batch route, or a batch too large for it: each run goes on its own call.
            if (answer.lacksTheRoute()) {
                routeMissingSince = System.nanoTime();
            }
            Arrays.fill(results, Result.ALONE);
        } else { // a refusal of the whole call: each caller gets what its single call would have thrown
            Arrays.fill(results, new Result(null, answer.whole(), null));
        }
    }

    private void deliver(Lane lane, List<Pending> batch, Result[] results) {
        lane.lock.lock();
        try {
            for (int i = 0; i < results.length; i++) {
                Pending pending = batch.get(i);
                pending.result = results[i];
                pending.wake.signal();
            }
            lane.inFlight--;
            settle(lane);
        } finally {
            lane.lock.unlock();
        }
    }

    /** On the caller's thread: its record, or its own instance of the exception its single call would have thrown. */
    private Recorded outcome(String workspaceId, Pending pending) {
        Result result = pending.result;
        if (result.recorded != null) {
            return result.recorded;
        }
        if (result.refused != null) {
            throw AiCreditsClient.refusal(result.refused);
        }
        if (result == Result.ALONE) {
            return client.recordAlone(workspaceId, pending.item, pending.started + totalNanos);
        }
        throw copy(result.failed);
    }

    private static RuntimeException copy(RuntimeException failure) {
        if (failure instanceof AiCreditsException.Unavailable) {
            AiCreditsException.Unavailable e = (AiCreditsException.Unavailable) failure;
            return new AiCreditsException.Unavailable(e.status(), e.code(), e.getMessage(), e.getCause(), e.attempts());
        }
        if (failure instanceof AiCreditsException.Unexpected) {
            AiCreditsException.Unexpected e = (AiCreditsException.Unexpected) failure;
            return new AiCreditsException.Unexpected(e.status(), e.code(), e.getMessage());
        }
        return failure;
    }
}
