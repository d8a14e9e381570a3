package com.aicredits.functions.reset;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.UUID;

/** A Lambda context made here: for an invocation the function starts itself in-process (and for tests). */
record InvocationContext(String requestId, String functionName, String functionVersion, String invokedFunctionArn,
                         int memoryLimitInMB, LambdaLogger logger, long deadlineMillis) implements Context {

    /** The next invocation of the function {@code current} runs in: its own request id, until {@code deadlineMillis}. */
    static InvocationContext next(Context current, long deadlineMillis) {
        return new InvocationContext(UUID.randomUUID().toString(), current.getFunctionName(), current.getFunctionVersion(),
                current.getInvokedFunctionArn(), current.getMemoryLimitInMB(), current.getLogger(), deadlineMillis);
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
        return "in-process";
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
