package com.aicredits.bench;

/**
 * AWS's published on-demand prices, US East (N. Virginia), as read on 2026-12-07 (sources and caveats in
 * docs/design.md, "Cost per million runs"): no free tier, no Savings Plan, the first volume tier of each.
 */
final class AwsPrices {
    /** HTTP API: per million requests (first 300 million a month; $0.90 beyond), each up to 512 KB. */
    static final double HTTP_API_PER_MILLION_REQUESTS = 1.00;
    /** Lambda: per million requests (invocations), either architecture. */
    static final double LAMBDA_PER_MILLION_REQUESTS = 0.20;
    /** Lambda arm64: per GB-second of duration (first 7.5 billion GB-seconds a month). */
    static final double LAMBDA_ARM_PER_GB_SECOND = 0.0000133334;
    /** DynamoDB on-demand, Standard table class: per million write request units (since 2024-11-01). */
    static final double DYNAMODB_PER_MILLION_WRITE_UNITS = 0.625;
    /** DynamoDB on-demand, Standard table class: per million read request units (since 2024-11-01). */
    static final double DYNAMODB_PER_MILLION_READ_UNITS = 0.125;
    static final String AS_OF = "AWS on-demand list prices, us-east-1, read 2026-12-07";

    private AwsPrices() {
    }

    /** Dollars per million runs, by what is billed; each argument is per run (GB-seconds: of Lambda duration). */
    record Cost(double httpApi, double lambdaRequests, double lambdaDuration, double dynamoDbWrites, double dynamoDbReads) {
        double total() {
            return httpApi + lambdaRequests + lambdaDuration + dynamoDbWrites + dynamoDbReads;
        }
    }

    static Cost perMillionRuns(double requestsPerRun, double invocationsPerRun, double gbSecondsPerRun, double writeUnitsPerRun,
                               double readUnitsPerRun) {
        return new Cost(requestsPerRun * HTTP_API_PER_MILLION_REQUESTS,
                invocationsPerRun * LAMBDA_PER_MILLION_REQUESTS,
                gbSecondsPerRun * 1_000_000 * LAMBDA_ARM_PER_GB_SECOND,
                writeUnitsPerRun * DYNAMODB_PER_MILLION_WRITE_UNITS,
                readUnitsPerRun * DYNAMODB_PER_MILLION_READ_UNITS);
    }
}
