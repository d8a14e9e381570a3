package com.aicredits.json;

import com.aicredits.domain.CreditsException;
import com.aicredits.domain.Refusal;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JSON in and out. Reading is strict, so that a client never believes it set something it did not: unknown
 * fields, duplicate keys, trailing content and type coercions ("5" for 5, 5 for "5", 1.5 for 1) are all 400s
 * with a message naming the field.
 */
public final class Json {
    public static final ObjectMapper MAPPER = strictMapper();

    private Json() {
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // Credits are exact to the hundredth: a fraction is read as the decimal it says, never as a double.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                // A tree keeps a number as written (4.0 stays 4.0): what tests and replays compare is the wire's text.
                .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return mapper;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** Reads a request body that must be one JSON object of {@code type}; anything else is a 400. */
    public static <T> T readObject(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw CreditsException.invalid("body", "a JSON object body is required");
        }
        if (body.strip().charAt(0) != '{') {
            throw CreditsException.invalid("body", "the body must be a JSON object");
        }
        ObjectReader reader = MAPPER.readerFor(type);
        try {
            T value = reader.readValue(body);
            if (value == null) {
                throw CreditsException.invalid("body", "the body must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new CreditsException(Refusal.UNKNOWN_FIELD, "unknown field " + CreditsException.quote(e.getPropertyName()) + "; allowed fields: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (MismatchedInputException e) {
            String field = fieldPath(e);
            if (field.isEmpty()) {
                boolean trailing = String.valueOf(e.getOriginalMessage()).startsWith("Trailing token");
                throw CreditsException.invalid("body", trailing
                        ? "the body must hold exactly one JSON object; found trailing content after it"
                        : "the body must be a JSON object");
            }
            throw CreditsException.invalid(rootField(e), "field '" + field + "' has the wrong type: "
                    + expected(e));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonParseException || e.getCause() instanceof StreamConstraintsException) {
                throw notJson((JsonProcessingException) e.getCause());
            }
            String field = fieldPath(e);
            if (e.getCause() instanceof InputCoercionException && !field.isEmpty()) {
                throw CreditsException.invalid(rootField(e), "field '" + field + "' is out of range: expected a whole number in range");
            }
            throw CreditsException.invalid(field.isEmpty() ? "body" : rootField(e),
                    (field.isEmpty() ? "invalid body: " : "invalid field '" + field + "': ") + withoutParserDetails(firstLine(e.getOriginalMessage())));
        } catch (JsonProcessingException e) {
            throw notJson(e);
        }
    }

    /** Why the body is not JSON, in our words: the parser's own messages name its classes and switches. */
    private static CreditsException notJson(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        String original = firstLine(e.getOriginalMessage());
        String reason;
        if (e instanceof StreamConstraintsException) {
            reason = original.contains("nesting depth") ? "arrays and objects nest deeper than 1000 levels"
                    : original.startsWith("Number value length") ? "a number is longer than 1000 digits"
                    : "the body exceeds what we parse";
        } else if (e instanceof JsonEOFException) {
            reason = "the body ends before its JSON is complete (was it cut short?)";
        } else if (original.startsWith("Non-standard token")) {
            reason = "NaN and Infinity are not JSON numbers";
        } else if (original.contains("plus sign")) {
            reason = "a JSON number may not start with '+'";
        } else if (original.contains("comment")) {
            reason = "JSON has no comments";
        } else {
            reason = withoutParserDetails(original);
        }
        return CreditsException.invalid("json", "the body is not valid JSON" + where + ": " + reason);
    }

    /** The parser's sentence without what names its internals (features to enable, its source locations). */
    private static String withoutParserDetails(String message) {
        String text = message;
        for (String internal : List.of(": enable", "; enable", " (start marker at", " (from `", " (not recognized", "[Source")) {
            int at = text.indexOf(internal);
            if (at >= 0) {
                text = text.substring(0, at);
            }
        }
        return text.replace("`", "'").strip();
    }

    private static String expected(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return "unexpected value";
        }
        if (target == String.class) {
            return "expected a string";
        }
        if (target == Integer.class || target == Long.class || target == int.class || target == long.class) {
            return "expected a whole number in range";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "expected true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(target)) {
            return "expected an array";
        }
        return "expected " + target.getSimpleName();
    }

    private static String rootField(JsonMappingException e) {
        return e.getPath().isEmpty() || e.getPath().getFirst().getFieldName() == null ? "body" : e.getPath().getFirst().getFieldName();
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

}
