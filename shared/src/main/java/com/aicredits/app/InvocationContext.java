package com.aicredits.app;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * A Lambda context made here, for an invocation that does not come from Lambda: SnapStart priming's walk through a
 * function's request path, and whatever else runs a handler outside Lambda (the local stack, the bench).
 */
public record InvocationContext(String requestId, String functionName, String functionVersion, String invokedFunctionArn,
                         int memoryLimitInMB, LambdaLogger logger, long deadlineMillis) implements Context {

    /** A fresh invocation of {@code functionName} with {@code timeout} to run, logging to {@code logger}. */
    public static InvocationContext of(String functionName, Duration timeout, LambdaLogger logger) {
        return new InvocationContext(UUID.randomUUID().toString(), functionName, "$LATEST",
                "arn:aws:lambda:us-east-1:000000000000:function:" + functionName, 1024, logger,
                System.currentTimeMillis() + timeout.toMillis());
    }

    /** Writes to standard output, as a function's output goes to its log on Lambda. */
    public static final LambdaLogger STANDARD_OUTPUT = new LambdaLogger() {
        @Override
        public void log(String message) {
            System.out.println(message);
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    };

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "[" + functionVersion + "]" + requestId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return functionVersion;
    }

    @Override
    public String getInvokedFunctionArn() {
        return invokedFunctionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryLimitInMB;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
