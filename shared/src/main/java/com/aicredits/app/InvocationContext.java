package com.aicredits.app;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A Lambda context made here, for an invocation that does not come from Lambda: the local stack's (every function
 * it runs), and a function's own next invocation run in-process.
 */
public record InvocationContext(String requestId, String functionName, String functionVersion, String invokedFunctionArn,
                         int memoryLimitInMB, LambdaLogger logger, long deadlineMillis) implements Context {

    /** The next invocation of the function {@code current} runs in: its own request id, until {@code deadlineMillis}. */
    public static InvocationContext next(Context current, long deadlineMillis) {
        return new InvocationContext(UUID.randomUUID().toString(), current.getFunctionName(), current.getFunctionVersion(),
                current.getInvokedFunctionArn(), current.getMemoryLimitInMB(), current.getLogger(), deadlineMillis);
    }

    /** A fresh invocation of {@code functionName} in the local stack, with the function's timeout. */
    public static InvocationContext local(String functionName, int timeoutSeconds) {
        LambdaLogger console = new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.println("[" + functionName + "] " + message);
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
        return new InvocationContext(UUID.randomUUID().toString(), functionName, "$LATEST",
                "arn:aws:lambda:us-east-1:000000000000:function:" + functionName, 1024, console,
                System.currentTimeMillis() + timeoutSeconds * 1000L);
    }

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
        return "local";
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
