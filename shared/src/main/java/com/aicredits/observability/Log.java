package com.aicredits.observability;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Structured logs: one JSON object per line on standard output, with {@code timestamp}, {@code level},
 * {@code message} and the invocation's {@code requestId}, {@code workspaceId} and {@code executionId} on every line
 * (null when the line is about none). With the function's LogFormat JSON, Lambda takes such a line as it is (it does
 * not encode JSON twice) and filters it by its {@code level}; the Lambda logger would nest our keys inside its
 * {@code message} string instead. No logging library: this costs no class loading beyond Jackson, which every
 * function loads anyway.
 *
 * <p>The keys live per thread for the length of an invocation ({@link #invocation}); threads started during it (the
 * monthly reset's workers) inherit them.
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    /** What every line of an invocation carries. */
    record Keys(String requestId, String workspaceId, String executionId) {
        static final Keys NONE = new Keys(null, null, null);
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final InheritableThreadLocal<Keys> KEYS = new InheritableThreadLocal<>() {
        @Override
        protected Keys initialValue() {
            return Keys.NONE;
        }
    };
    private static volatile Consumer<String> sink = Log::toStandardOutput;

    private Log() {
    }

    /** The keys of one invocation, until {@link Scope#close()} puts back what was there before. */
    public static final class Scope implements AutoCloseable {
        private final Keys previous;

        private Scope(Keys previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            KEYS.set(previous);
        }
    }

    /**
     * Starts an invocation's keys: Lambda's request id ({@code context} may be null, as in tests and in-process
     * calls; then {@code fallbackRequestId}, e.g. API Gateway's), no workspace or execution yet.
     */
    public static Scope invocation(Context context, String fallbackRequestId) {
        Keys previous = KEYS.get();
        String requestId = context != null && context.getAwsRequestId() != null ? context.getAwsRequestId() : fallbackRequestId;
        KEYS.set(new Keys(requestId, null, null));
        return new Scope(previous);
    }

    /** From here on, this invocation's lines are about that workspace. */
    public static void workspace(String workspaceId) {
        Keys keys = KEYS.get();
        KEYS.set(new Keys(keys.requestId(), workspaceId, keys.executionId()));
    }

    /** From here on, this invocation's lines are about that execution. */
    public static void execution(String executionId) {
        Keys keys = KEYS.get();
        KEYS.set(new Keys(keys.requestId(), keys.workspaceId(), executionId));
    }

    static Keys keys() {
        return KEYS.get();
    }

    public static void info(String message, Object... fields) {
        write(Level.INFO, message, null, fields);
    }

    public static void warn(String message, Object... fields) {
        write(Level.WARN, message, null, fields);
    }

    public static void error(String message, Throwable error, Object... fields) {
        write(Level.ERROR, message, error, fields);
    }

    /**
     * One line. {@code fields} are extra key/value pairs ({@code "period", "2026-11", ...}); a key named like one of
     * the invocation's keys overrides it for this line (a worker logging about another workspace).
     */
    public static void write(Level level, String message, Throwable error, Object... fields) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.now().toString());
            json.writeStringField("level", level.name());
            json.writeStringField("message", message);
            writeKeys(json, fields);
            writeFields(json, fields);
            if (error != null) {
                StringWriter trace = new StringWriter();
                error.printStackTrace(new PrintWriter(trace));
                json.writeStringField("errorType", error.getClass().getName());
                json.writeStringField("stackTrace", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sink.accept(text.toString());
    }

    /** The invocation's three keys, each present on every line; a field of the same name wins. */
    static void writeKeys(JsonGenerator json, Object[] fields) throws IOException {
        Keys keys = KEYS.get();
        writeKey(json, "requestId", keys.requestId(), fields);
        writeKey(json, "workspaceId", keys.workspaceId(), fields);
        writeKey(json, "executionId", keys.executionId(), fields);
    }

    private static void writeKey(JsonGenerator json, String name, String value, Object[] fields) throws IOException {
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (name.equals(fields[i])) {
                value = fields[i + 1] == null ? null : String.valueOf(fields[i + 1]);
            }
        }
        json.writeStringField(name, value);
    }

    /** The extra key/value pairs of a line, but for the invocation's keys ({@link #writeKeys} wrote those). */
    static void writeFields(JsonGenerator json, Object[] fields) throws IOException {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("log fields come in key/value pairs");
        }
        for (int i = 0; i < fields.length; i += 2) {
            String name = String.valueOf(fields[i]);
            if (name.equals("requestId") || name.equals("workspaceId") || name.equals("executionId")) {
                continue;
            }
            json.writeFieldName(name);
            writeValue(json, fields[i + 1]);
        }
    }

    static void writeValue(JsonGenerator json, Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case Integer i -> json.writeNumber(i);
            case Long l -> json.writeNumber(l);
            case Double d -> json.writeNumber(d);
            case Boolean b -> json.writeBoolean(b);
            case Map<?, ?> map -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    json.writeFieldName(String.valueOf(entry.getKey()));
                    writeValue(json, entry.getValue());
                }
                json.writeEndObject();
            }
            case Iterable<?> list -> {
                json.writeStartArray();
                for (Object item : list) {
                    writeValue(json, item);
                }
                json.writeEndArray();
            }
            default -> json.writeString(String.valueOf(value));
        }
    }

    /** Where lines go: standard output in one write each (one line, one CloudWatch event). */
    static void emit(String line) {
        sink.accept(line);
    }

    private static void toStandardOutput(String line) {
        System.out.print(line + "\n");
        System.out.flush();
    }

    /**
     * Sends every line to {@code capture} instead of standard output, until the returned scope closes: for tests, and
     * for SnapStart's priming, which writes lines nobody should read.
     */
    public static AutoCloseable capture(Consumer<String> capture) {
        Consumer<String> previous = sink;
        sink = capture;
        return () -> sink = previous;
    }
}
