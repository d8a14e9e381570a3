package com.aicredits.functions.record;

import com.aicredits.functions.record.DebitFixture.Response;
import com.aicredits.testkit.ApiEvents;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients debiting one workspace from many threads, each thread on the handler of one of several containers (as
 * Lambda scales out). Every tenth request replays one of the thread's own earlier executions; a 503 is sent again,
 * as a well-behaved client does, up to {@code maxAttempts} times.
 */
final class ConcurrentClients {
    /** What the clients saw. {@code answeredByReplay}: a new execution answered 200 (its first answer was lost). */
    record Run(Map<String, String> activityOf, Map<String, String> modelOf, Map<String, String> firstBodies, List<String> wrong, int newExecutions,
               int replays, int answeredByReplay, int clientRetries, int gaveUp) {
    }

    private ConcurrentClients() {
    }

    static Run run(List<RecordExecutionHandler> containers, String workspaceId, String idPrefix, String[] activities,
                   int threads, int requestsPerThread, int maxAttempts) throws Exception {
        return run(containers, workspaceId, idPrefix, activities, new String[] {"PLATFORM"}, threads, requestsPerThread, maxAttempts);
    }

    /** As above, each new execution on one of {@code models} in turn (PLATFORM: the body names no model); replays keep theirs. */
    static Run run(List<RecordExecutionHandler> containers, String workspaceId, String idPrefix, String[] activities,
                   String[] models, int threads, int requestsPerThread, int maxAttempts) throws Exception {
        Map<String, String> activityOf = new ConcurrentHashMap<>();
        Map<String, String> modelOf = new ConcurrentHashMap<>();
        Map<String, String> firstBodies = new ConcurrentHashMap<>();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger newExecutions = new AtomicInteger();
        AtomicInteger replays = new AtomicInteger();
        AtomicInteger answeredByReplay = new AtomicInteger();
        AtomicInteger clientRetries = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    RecordExecutionHandler handler = containers.get(thread % containers.size());
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < requestsPerThread; i++) {
                        boolean replay = i % 10 == 9;
                        String executionId = replay ? mine.get((i * 7) % mine.size()) : idPrefix + thread + "-" + i;
                        String activity = replay ? activityOf.get(executionId) : activities[(thread + i) % activities.length];
                        String model = replay ? modelOf.get(executionId) : models[(thread + i / activities.length) % models.length];
                        String modelField = model.equals("PLATFORM") ? "" : ",\"model\":\"" + model + "\"";
                        Response response = null;
                        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
                            response = DebitFixture.send(handler, ApiEvents.load("record-execution.json", workspaceId,
                                    "{\"executionId\":\"" + executionId + "\",\"activity\":\"" + activity + "\"" + modelField + "}"));
                            if (response.status() != 503) {
                                break;
                            }
                            if (response.errorCode().equals("contention")) {
                                gaveUp.incrementAndGet(); // the service's own retries ran out
                            }
                            clientRetries.incrementAndGet();
                        }
                        if (replay) {
                            replays.incrementAndGet();
                            if (response.status() != 200 || !response.body().equals(firstBodies.get(executionId))) {
                                wrong.add(executionId + " replay: " + response.status() + " " + response.body());
                            }
                            continue;
                        }
                        newExecutions.incrementAndGet();
                        if (response.status() == 200) {
                            answeredByReplay.incrementAndGet();
                        } else if (response.status() != 201) {
                            wrong.add(executionId + ": " + response.status() + " " + response.body());
                        }
                        mine.add(executionId);
                        activityOf.put(executionId, activity);
                        modelOf.put(executionId, model);
                        firstBodies.put(executionId, response.body());
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdown();
        }
        return new Run(activityOf, modelOf, firstBodies, wrong, newExecutions.get(), replays.get(), answeredByReplay.get(),
                clientRetries.get(), gaveUp.get());
    }
}
