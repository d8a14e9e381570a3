package com.aicredits.service;

import com.aicredits.domain.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** The monthly reset's thread pool: a page's workspaces reset a few at a time (none when one at a time). */
final class ResetWorkers implements AutoCloseable {
    private final ExecutorService workers;

    ResetWorkers(int concurrency) {
        this.workers = concurrency > 1 ? Executors.newFixedThreadPool(concurrency) : null;
    }

    /** {@code reset} of each workspace, {@code concurrency} at a time; one that throws is a failed outcome. */
    List<WorkspaceReset.Result> resetAll(List<Workspace> workspaces, Function<Workspace, WorkspaceReset.Result> reset) {
        List<Callable<WorkspaceReset.Result>> tasks = new ArrayList<>();
        for (Workspace workspace : workspaces) {
            tasks.add(() -> reset.apply(workspace));
        }
        List<WorkspaceReset.Result> outcomes = new ArrayList<>();
        if (workers == null) {
            for (int i = 0; i < tasks.size(); i++) {
                try {
                    outcomes.add(tasks.get(i).call());
                } catch (Exception e) {
                    outcomes.add(WorkspaceReset.failed(workspaces.get(i), e));
                }
            }
            return outcomes;
        }
        Error crash = null;
        try {
            List<Future<WorkspaceReset.Result>> futures = workers.invokeAll(tasks);
            for (int i = 0; i < tasks.size(); i++) {
                try {
                    outcomes.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        crash = error;
                    } else {
                        outcomes.add(WorkspaceReset.failed(workspaces.get(i), e.getCause()));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resetting a page of workspaces", e);
        }
        if (crash != null) {
            // Not ours to handle (out of memory, ...): the invocation dies as it would; its claims' leases run out with it.
            throw crash;
        }
        return outcomes;
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
