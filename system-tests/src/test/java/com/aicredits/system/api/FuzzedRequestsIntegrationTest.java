package com.aicredits.system.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.local.http.HttpApiRoutes;
import com.aicredits.system.stack.ReliabilityStack;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A generated run of malformed requests against every route of template.yaml, over HTTP through the local stack's
 * authorizer and the real handlers, each with a token the route accepts: every one is a 4xx with a JSON error and a
 * clear message, none is a 5xx, and the table holds exactly what it held before. The seed is printed; run again
 * with {@code -Dfuzz.seed=<seed>} (and {@code -Dfuzz.requests=<n>}) to replay a failure.
 */
@Tag("reliability")
class FuzzedRequestsIntegrationTest {
    private static final int REQUESTS_PER_ROUTE = Integer.getInteger("fuzz.requests", 520);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int THREADS = 4;
    private static final ReliabilityStack api = ReliabilityStack.shared();

    @BeforeAll
    static void fixtureOrganization() {
        ApiRoutes.prepare(api);
        System.out.printf("fuzz seed: %d (replay: -Dfuzz.seed=%d), %d requests per route%n", SEED, SEED, REQUESTS_PER_ROUTE);
    }

    @TestFactory
    Stream<DynamicTest> everyRouteAnswersMalformedRequestsWithA4xxAndWritesNothing() {
        return ApiRoutes.fromTemplate().stream().map(route -> DynamicTest.dynamicTest(route.routeKey(), () -> fuzz(route)));
    }

    private void fuzz(HttpApiRoutes.Route route) throws Exception {
        ApiRoutes.Spec spec = ApiRoutes.spec(route);
        List<MalformedRequests.Case> cases = new MalformedRequests(route, spec, SEED).generate(REQUESTS_PER_ROUTE);
        String token = spec.caller() == ApiRoutes.Caller.MANAGER ? api.token("manager", ApiRoutes.ORGANIZATION)
                : api.token(spec.caller().tokenRole, null);
        api.settle();
        Map<String, Map<String, AttributeValue>> before = api.snapshot();

        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = thread; i < cases.size(); i += THREADS) {
                        String problem = problem(cases.get(i), token);
                        if (problem != null) {
                            failures.add("#" + i + " " + cases.get(i).description() + ": " + problem);
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        api.settle();
        Map<String, Map<String, AttributeValue>> after = api.snapshot();

        assertThat(failures).as("seed %d, %s", SEED, route.routeKey()).isEmpty();
        assertThat(after).as("the table after %d malformed requests to %s (seed %d)", cases.size(), route.routeKey(), SEED)
                .isEqualTo(before);
    }

    /** What is wrong with the answer to {@code request}, or null when it is a clear 4xx. */
    private static String problem(MalformedRequests.Case request, String token) {
        ApiRoutes.Request sent = request.request();
        ReliabilityStack.Reply reply = api.send(sent.method(), sent.pathAndQuery(), token, sent.contentType(),
                sent.body() == null ? null : sent.body().getBytes(StandardCharsets.UTF_8));
        String answer = reply.status() + " " + MalformedRequests.shorten(reply.body());
        if (reply.status() < 400 || reply.status() > 499) {
            return "expected a 4xx, got " + answer;
        }
        JsonNode error;
        try {
            error = reply.json().path("error");
        } catch (AssertionError notJson) {
            return "the answer is not JSON: " + answer;
        }
        if (sent.pathAndQuery().split("\\?", 2)[0].contains("%00") && reply.status() == 400
                && reply.body().equals("{\"message\":\"Bad Request\"}")) {
            return null; // the HTTP server refuses a NUL in the path before any route, with API Gateway's own answer
        }
        String message = error.path("message").asText("");
        if (error.path("code").asText("").isBlank() || message.isBlank()) {
            return "no error code and message: " + answer;
        }
        if (message.length() > 400) {
            return "a message of " + message.length() + " characters: " + answer;
        }
        // Beside stack traces, the JSON parser's own words: its switches, limits and locations.
        for (String leak : List.of("Exception", "java.", "com.aicredits", "com.fasterxml", "software.amazon", "\tat ",
                "JsonReadFeature", "StreamReadFeature", "StreamReadConstraints", "REDACTED", "[Source:")) {
            if (message.contains(leak)) {
                return "the message shows internals (" + leak + "): " + answer;
            }
        }
        return null;
    }
}
