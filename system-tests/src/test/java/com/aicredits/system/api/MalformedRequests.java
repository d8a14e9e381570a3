package com.aicredits.system.api;

import com.aicredits.system.api.ApiRoutes.Field;
import com.aicredits.system.api.ApiRoutes.Kind;
import com.aicredits.system.api.ApiRoutes.Param;
import com.aicredits.system.api.ApiRoutes.Request;
import com.aicredits.system.api.ApiRoutes.Spec;
import com.aicredits.local.http.HttpApiRoutes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Generates malformed requests for one route from its {@link ApiRoutes} entry: each is the route's valid request
 * with one thing made invalid (a path parameter, a query parameter, a body field, the body as a whole, the content
 * type), so that the only reason left to refuse it is that one thing. Values are drawn from families (wrong JSON
 * types, huge and unicode strings, injection-like ids, bad dates, duplicate keys, truncated JSON, ...) with a seeded
 * {@link Random}: the same seed gives the same requests.
 */
final class MalformedRequests {
    /** One generated request and what was made invalid in it. */
    record Case(String description, Request request) {
    }

    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
    /** Characters no identifier admits (':' is one an executionId admits, so it is added for resource ids only). */
    private static final String[] BAD_ID_CHARS = {" ", "#", "/", "\\", "'", "\"", ";", "<", ">", "%", "&", "?", "=", "@",
            "!", "$", "*", "(", ")", "{", "}", "[", "]", "|", "^", "~", "`", ",", "+", "\u0000", "\n", "\t", "ü", "工",
            "😀", "\u202E", "\u200B", "\uFEFF", "ａ", "а", "ß", "\u0301"};
    private static final String[] INJECTIONS = {"' OR '1'='1", "1; DROP TABLE credits", "WS#ws-rel-a", "ws-rel-a#BALANCE#2026-11",
            "../../etc/passwd", "..%2F..%2Fetc", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}", "{{7*7}}",
            "%00", "ws-rel-a\u0000", "{\"$ne\":null}", "ws-rel-a' --", "ｗｓ-ｒｅｌ-ａ", "ws-rel-a OR 1=1", "attribute_exists(PK)",
            "#PK = :pk", "\r\nX-Injected: 1", "ws-rel-a\r\n", "*", "ws-rel-a;", "$(touch /tmp/x)", "`id`", "\\u0000"};
    private static final String[] WRONG_FOR_STRING = {"42", "-1", "1.5", "1e999", "true", "false", "[]", "[\"x\"]", "{}",
            "{\"$ne\":null}", "{\"S\":\"ws-rel-a\"}"};
    private static final String[] WRONG_FOR_NUMBER = {"\"5\"", "\"\"", "true", "[]", "[10000]", "{}", "\"10000\""};
    private static final String[] BAD_TIMESTAMPS = {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-25T25:00:00Z",
            "2026-11-25T10:61:00Z", "2026-11-25T10:00:00", "2026-11-25", "10:00:00Z", "yesterday", "now", "1764064800",
            "+10000-01-01T00:00:00Z", "2026-11-25T10:00:00+25:00", "2999-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
            "２０２６-11-25T10:00:00Z", "2026-11-25T10:00:00Z\u0000", "2026-11-25 10:00:00Z", "2026-W48-3T10:00:00Z",
            "Wed, 25 Nov 2026 10:00:00 GMT", "0000-00-00T00:00:00Z", "-2026-11-25T10:00:00Z", "2026-11-25T10:00:00ZZ", " "};
    private static final String[] BAD_PERIODS = {"2026-13", "2026-00", "26-11", "2026/11", "2026-1", "202611", "2026-11-01",
            "abc", "2999-12", "２０２６-１１", "2026-11' OR '1'='1", "2026-11\n", " 2026-11", "2026-11 ", "-2026-11", "+2026-11",
            "2026-11\u0000", "20260-11", "2026-1a", "null"};
    private static final String[] BAD_LIMITS = {"0", "501", "-1", "abc", "1.5", "1e2", " 5", "5 ", "+5", "٥", "５",
            "99999999999999999999", "0x10", "2147483648", "NaN", "Infinity", "10abc", "null", "true"};
    private static final String[] BAD_ENUMS = {"pro", "Pro", " PRO", "PRO ", "PLATINUM", "", "ＰＲＯ", "ELITE PLUS", "monthly",
            "Annual", "extend", "LEGACY ", "null", "undefined", "0", "PRO\u0000", "P R O"};
    private static final String[] BAD_ACTIVITIES = {"task.executions", "TASK.EXECUTION", "task.execution ", " task.execution",
            "tаsk.execution", "task_execution", "task", ".execution", "case.*", "%", "agent.execution\u0000", "builder.assist;",
            "case.investigation\n", "task.execution#1"};
    private static final String[] BAD_BODIES = {"", "   ", "\n", "null", "true", "42", "\"text\"", "[]", "[{}]", "{", "}",
            "{}{}", "{\"a\":1,}", "{'a':1}", "{a:1}", "{\"a\":NaN}", "{\"a\":1} trailing", "{\"a\":/* c */1}", "\uFEFF{}",
            "{\"a\":\"\\x41\"}", "{\"a\":\"\\ud800\"}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":\"unterminated}",
            "<xml/>", "a=1&b=2", "--boundary\r\n\r\n--boundary--"};
    private static final String[] WRONG_CONTENT_TYPES = {"text/plain", "application/xml", "text/html", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded", "application/json-patch+json", "application/jsonp", "application/octet-stream",
            "text/json", "application/problem+json", "image/png", "application", "*/*"};
    private static final String[] UNKNOWN_NAMES = {"credits", "__proto__", "constructor", "PK", "SK", "$where", "workspaceId ",
            "Activity", "executionid", "ünknown", "a".repeat(300), "", " ", "debug", "admin", "sequence", "creditsUsed"};

    private final ApiRoutes.Spec spec;
    private final HttpApiRoutes.Route route;
    private final Random random;
    private final List<Function<Random, Case>> families = new ArrayList<>();

    MalformedRequests(HttpApiRoutes.Route route, Spec spec, long seed) {
        this.route = route;
        this.spec = spec;
        this.random = new Random(seed ^ route.routeKey().hashCode());
        for (Param param : spec.path()) {
            families.add(r -> pathCase(param, badString(param.kind(), r, false)));
        }
        families.add(r -> {
            Map<String, String> query = new LinkedHashMap<>(ApiRoutes.validQuery(spec));
            String name = r.nextBoolean() ? pick(UNKNOWN_NAMES, r).strip() + "x" : pick(INJECTIONS, r);
            query.put(name, r.nextBoolean() ? "1" : hugeString(r, 1 + r.nextInt(300)));
            return new Case("unknown query parameter '" + shorten(name) + "'", ApiRoutes.request(route, ApiRoutes.validPath(spec),
                    query, validBody()));
        });
        for (Param param : spec.query()) {
            families.add(r -> queryCase(param, badString(param.kind(), r, true)));
            families.add(r -> queryCase(param, (param.value() == null ? "x" : param.value()) + "\u0001"
                    + badString(param.kind(), r, true)));
        }
        if (spec.takesBody()) {
            for (Field field : spec.body()) {
                families.add(r -> fieldCase(field, badJson(field, r)));
                if (field.required()) {
                    families.add(r -> bodyCase("required field '" + field.name() + "' left out", withoutField(field.name())));
                }
            }
            families.add(r -> {
                List<Map.Entry<String, String>> fields = ApiRoutes.validFields(spec);
                String name = pick(UNKNOWN_NAMES, r);
                fields.add(r.nextInt(fields.size() + 1), Map.entry(name, r.nextBoolean() ? "0" : ApiRoutes.jsonString(pick(INJECTIONS, r))));
                return bodyCase("unknown field '" + shorten(name) + "'", ApiRoutes.object(fields));
            });
            families.add(r -> {
                List<Map.Entry<String, String>> fields = ApiRoutes.validFields(spec);
                Map.Entry<String, String> repeated = fields.get(r.nextInt(fields.size()));
                fields.add(Map.entry(repeated.getKey(), r.nextBoolean() ? repeated.getValue() : ApiRoutes.jsonString("other")));
                return bodyCase("duplicate key '" + repeated.getKey() + "'", ApiRoutes.object(fields));
            });
            families.add(r -> {
                String valid = validBody();
                int cut = 1 + r.nextInt(valid.length() - 1);
                return bodyCase("truncated JSON at " + cut, valid.substring(0, cut));
            });
            families.add(r -> bodyCase("not a JSON object", pick(BAD_BODIES, r)));
            families.add(r -> {
                String valid = validBody();
                return bodyCase("trailing content", valid + pick(new String[] {"{}", "x", "]", ",", valid}, r));
            });
            families.add(r -> {
                int depth = 500 + r.nextInt(5000);
                String first = spec.body().getFirst().name();
                return bodyCase("nested " + depth + " deep", "{" + ApiRoutes.jsonString(first) + ":" + "[".repeat(depth) + "]".repeat(depth) + "}");
            });
            families.add(r -> {
                List<Map.Entry<String, String>> fields = ApiRoutes.validFields(spec);
                fields.add(Map.entry("padding", ApiRoutes.jsonString("x".repeat(16_400 + r.nextInt(20_000)))));
                return bodyCase("body over 16 KB", ApiRoutes.object(fields));
            });
            families.add(r -> {
                Request valid = ApiRoutes.request(route, ApiRoutes.validPath(spec), ApiRoutes.validQuery(spec), validBody());
                return new Case("a valid body without Content-Type", new Request(valid.method(), valid.pathAndQuery(), null, valid.body()));
            });
            families.add(r -> {
                String type = pick(WRONG_CONTENT_TYPES, r);
                Request valid = ApiRoutes.request(route, ApiRoutes.validPath(spec), ApiRoutes.validQuery(spec), validBody());
                return new Case("content type " + type, new Request(valid.method(), valid.pathAndQuery(), type, valid.body()));
            });
        } else {
            families.add(r -> {
                String body = r.nextBoolean() ? pick(BAD_BODIES, r) : "{\"period\":\"2026-11\"}";
                if (body.isEmpty()) {
                    body = "{\"unexpected\":true}"; // no body, or {} alone, is no body: both are accepted
                }
                String type = r.nextBoolean() ? "application/json" : pick(WRONG_CONTENT_TYPES, r);
                Request valid = ApiRoutes.request(route, ApiRoutes.validPath(spec), ApiRoutes.validQuery(spec), null);
                return new Case("a body (" + type + ") on a route that takes none", new Request(valid.method(), valid.pathAndQuery(), type, body));
            });
        }
    }

    /** {@code count} cases, taking the families in turn so that each gets its share. */
    List<Case> generate(int count) {
        List<Case> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            cases.add(families.get(i % families.size()).apply(random));
        }
        return cases;
    }

    private String validBody() {
        return spec.takesBody() ? ApiRoutes.object(ApiRoutes.validFields(spec)) : null;
    }

    private Case pathCase(Param param, String value) {
        Map<String, String> path = new LinkedHashMap<>(ApiRoutes.validPath(spec));
        path.put(param.name(), value);
        return new Case("path " + param.name() + "='" + shorten(value) + "'",
                ApiRoutes.request(route, path, ApiRoutes.validQuery(spec), validBody()));
    }

    private Case queryCase(Param param, String value) {
        Map<String, String> query = new LinkedHashMap<>(ApiRoutes.validQuery(spec));
        query.put(param.name(), value);
        return new Case("query " + param.name() + "='" + shorten(value.replace('\u0001', '&')) + "'",
                ApiRoutes.request(route, ApiRoutes.validPath(spec), query, validBody()));
    }

    private Case fieldCase(Field field, String json) {
        List<Map.Entry<String, String>> fields = ApiRoutes.validFields(spec);
        fields.replaceAll(f -> f.getKey().equals(field.name()) ? Map.entry(f.getKey(), json) : f);
        return bodyCase("field " + field.name() + "=" + shorten(json), ApiRoutes.object(fields));
    }

    private Case bodyCase(String description, String body) {
        return new Case(description, ApiRoutes.request(route, ApiRoutes.validPath(spec), ApiRoutes.validQuery(spec), body));
    }

    private String withoutField(String name) {
        List<Map.Entry<String, String>> fields = ApiRoutes.validFields(spec);
        fields.removeIf(f -> f.getKey().equals(name));
        return ApiRoutes.object(fields);
    }

    /** {@code count} valid runs with distinct ids. */
    private static String manyRuns(int count) {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runs.add("{\"executionId\":\"rel-fuzz-many-" + i + "\",\"activity\":\"task.execution\"}");
        }
        return "[" + String.join(",", runs) + "]";
    }

    /** A value outside {@code field}'s kind, as JSON text. */
    private static String badJson(Field field, Random r) {
        Kind kind = field.kind();
        switch (kind) {
            case BOOLEAN -> {
                return pick(new String[] {"\"true\"", "1", "0", "\"yes\"", "[]", "{}", "\"\""}, r);
            }
            case HARD_LIMIT_PERCENT -> {
                return r.nextInt(3) == 0 ? pick(WRONG_FOR_NUMBER, r)
                        : pick(new String[] {"99", "1001", "0", "-1", "2147483648", "1e400", "150.5", "-2147483649", "1e2"}, r);
            }
            case AGENT_LIMIT -> {
                return r.nextInt(3) == 0 ? pick(WRONG_FOR_NUMBER, r)
                        : pick(new String[] {"-1", "10001", "1.5", "99999999999", "-0.5", "1e3"}, r);
            }
            case ADDON_CREDITS -> {
                if (field.required() && r.nextInt(10) == 0) {
                    return "null";
                }
                return r.nextInt(3) == 0 ? pick(WRONG_FOR_NUMBER, r)
                        : pick(new String[] {"0", "1", "9999", "10001", "20000", "-10000", "1e4", "10000.0", "99999999999999999999", "100000000"}, r);
            }
            case EMAILS -> {
                return pick(new String[] {"[\"not-an-email\"]", "[\"a@b\"]", "[\"@x.example\"]", "[42]", "[null]", "\"ops@x.example\"",
                        "[[\"ops@x.example\"]]", "[\"a b@c.example\"]", "{}", "[\"" + "x".repeat(65 + r.nextInt(200)) + "@x.example\"]",
                        fiftyOneEmails(), "[\"ops@x.example\",\"" + pick(INJECTIONS, r).replace("\"", "") + "\"]"}, r);
            }
            case THRESHOLDS -> {
                return pick(new String[] {"[0]", "[1001]", "[80,80]", "[-5]", twentyOneThresholds(), "[\"80\"]", "[80.5]", "[null]",
                        "80", "{}", "\"80,90\"", "[true]"}, r);
            }
            case BYOS -> {
                return pick(new String[] {"{\"enabled\":true,\"provider\":\"openai\",\"features\":[]}",
                        "{\"enabled\":true,\"provider\":\"mistral\",\"features\":[\"AI_AGENT\"]}",
                        "{\"enabled\":true,\"features\":[\"AI_AGENT\"]}", "{\"features\":[\"AI_AGENT\"]}",
                        "{\"enabled\":true,\"provider\":\"openai\",\"features\":[\"AI_AGENT\",\"AI_AGENT\"]}",
                        "{\"enabled\":true,\"provider\":\"openai\",\"features\":[\"ai_agent\"]}",
                        "{\"enabled\":\"yes\",\"features\":[]}", "{\"enabled\":false,\"apiKey\":\"sk-1\"}", "true", "[]", "\"BYOS\""}, r);
            }
            case CREDIT_POOL -> {
                return pick(new String[] {"{}", "{\"enabled\":\"yes\"}", "{\"enabled\":null}", "{\"monthlyCredits\":5000}",
                        "{\"enabled\":true,\"monthlyCredits\":0}", "{\"enabled\":true,\"monthlyCredits\":100000001}",
                        "{\"enabled\":true,\"monthlyCredits\":1.5}", "{\"enabled\":true,\"hardLimitPercent\":99}",
                        "{\"enabled\":true,\"hardLimitPercent\":\"200\"}", "{\"enabled\":true,\"thresholds\":[80,80]}",
                        "{\"enabled\":true,\"thresholds\":[0]}", "{\"enabled\":true,\"notificationEmails\":[\"nobody\"]}",
                        "{\"enabled\":true,\"notificationEmails\":" + fiftyOneEmails() + "}", "{\"enabled\":false,\"budget\":5}",
                        "true", "[]", "\"organization\"", "42"}, r);
            }
            case EXECUTIONS -> {
                // What fails the whole batch (a run that is not a valid debit is answered 400 alone, in a 200).
                String run = "{\"executionId\":\"rel-fuzz-batch-run\",\"activity\":\"task.execution\"}";
                return pick(new String[] {"[]", "{}", "null", "42", "\"" + run.replace("\"", "'") + "\"", run, "[" + run + "," + run + "]",
                        "[" + String.join(",", java.util.Collections.nCopies(101, run)).replace("rel-fuzz-batch-run", "x") + "]",
                        manyRuns(101)}, r);
            }
            case TEXT -> {
                if (field.required() && r.nextInt(5) == 0) {
                    return "null";
                }
                // Free text: only its type, blankness and length (at most 500 characters) can be wrong.
                return r.nextBoolean() ? pick(WRONG_FOR_STRING, r)
                        : pick(new String[] {"\"\"", "\"   \"", "\"" + "\u00e9".repeat(501 + r.nextInt(2000)) + "\""}, r);
            }
            default -> {
                int choice = r.nextInt(4);
                if (choice == 0) {
                    return pick(WRONG_FOR_STRING, r);
                }
                if (choice == 1 && field.required()) {
                    return "null";
                }
                return ApiRoutes.jsonString(badString(kind, r, true));
            }
        }
    }

    /** A string outside {@code kind}; {@code mayBeEmpty} is false for path parameters (an empty one is another route). */
    private static String badString(Kind kind, Random r, boolean mayBeEmpty) {
        return switch (kind) {
            case RESOURCE_ID, EXECUTION_ID -> badId(kind == Kind.RESOURCE_ID ? 64 : 128, kind == Kind.RESOURCE_ID, r, mayBeEmpty);
            case LLM_MODEL -> badId(64, false, r, mayBeEmpty);
            case ACTIVITY -> r.nextInt(4) == 0 ? hugeString(r, 200 + r.nextInt(5000)) : pick(BAD_ACTIVITIES, r);
            case TIMESTAMP -> r.nextInt(6) == 0 ? hugeString(r, 100 + r.nextInt(5000)) : pick(BAD_TIMESTAMPS, r);
            case NAME -> r.nextBoolean() ? pick(new String[] {"", "   ", "\t\n", "\u2003"}, r) : tooLongText(r, 201);
            case TIER, PRICING_MODEL, TERM, MODEL -> r.nextInt(5) == 0 ? hugeString(r, 100 + r.nextInt(3000)) : pick(BAD_ENUMS, r);
            case PERIOD -> r.nextInt(6) == 0 ? hugeString(r, 100 + r.nextInt(1500)) : pick(BAD_PERIODS, r);
            case LIMIT -> pick(BAD_LIMITS, r);
            case CURSOR -> badCursor(r);
            default -> throw new IllegalArgumentException("no string form for " + kind);
        };
    }

    private static String badId(int maxLength, boolean resourceId, Random r, boolean mayBeEmpty) {
        String id = anyBadId(maxLength, resourceId, r, mayBeEmpty);
        // A short random string can happen to be a valid id; one space makes sure it is not.
        boolean valid = id.matches(resourceId ? "[A-Za-z0-9._-]{1,64}" : "[A-Za-z0-9._:-]{1,128}");
        return valid ? id + " " : id;
    }

    private static String anyBadId(int maxLength, boolean resourceId, Random r, boolean mayBeEmpty) {
        int choice = r.nextInt(mayBeEmpty ? 5 : 4);
        return switch (choice) {
            case 0 -> validIdChars(r, maxLength + 1 + (r.nextBoolean() ? 0 : r.nextInt(1500)));
            case 1 -> {
                String bad = resourceId && r.nextInt(10) == 0 ? ":" : pick(BAD_ID_CHARS, r);
                String prefix = validIdChars(r, 1 + r.nextInt(20));
                yield r.nextBoolean() ? prefix + bad : bad + prefix;
            }
            case 2 -> pick(INJECTIONS, r);
            case 3 -> hugeString(r, 1 + r.nextInt(maxLength));
            default -> "";
        };
    }

    private static String badCursor(Random r) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return switch (r.nextInt(9)) {
            case 0 -> pick(new String[] {"!!!", "%%%", "not-a-cursor", "eyJ", "e30", "bnVsbA", "W10", "====", "null"}, r);
            case 1 -> url.encodeToString(("{\"PK\":\"WS#ws-other\",\"SK\":\"EXEC#x\",\"GSI1PK\":\"LEDGER#ws-other#2026-11\","
                    + "\"GSI1SK\":\"0000000001\"}").getBytes(StandardCharsets.UTF_8));
            case 2 -> url.encodeToString(("{\"PK\":\"WS#ws-rel-a\",\"SK\":\"EXEC#x\",\"GSI1PK\":\"ORG#org-other\","
                    + "\"GSI1SK\":\"WS#x\"}").getBytes(StandardCharsets.UTF_8));
            case 3 -> url.encodeToString(("{\"PK\":\"WS#ws-rel-a\",\"SK\":\"EXEC#x\",\"GSI1PK\":\"LEDGER#ws-rel-a\","
                    + "\"GSI1SK\":1,\"extra\":\"x\"}").getBytes(StandardCharsets.UTF_8));
            case 6 -> url.encodeToString(("{\"PK\":\"WS#ws-other\",\"SK\":\"EXEC#x\",\"GSI1PK\":\"LEDGER#ws-rel-a#"
                    + ApiRoutes.currentPeriod() + "\",\"GSI1SK\":\"zzz\"}").getBytes(StandardCharsets.UTF_8));
            case 7 -> url.encodeToString(("{\"PK\":\"WS#ws-other\",\"SK\":\"WORKSPACE\",\"GSI1PK\":\"ORG#org-rel-a\","
                    + "\"GSI1SK\":\"WS#zzz\"}").getBytes(StandardCharsets.UTF_8));
            case 8 -> url.encodeToString(("{\"workspaceId\":\"ws-rel-a\",\"period\":\"" + ApiRoutes.currentPeriod() + "\","
                    + pick(new String[] {"\"before\":5,\"pageEnd\":4", "\"before\":5,\"pageEnd\":105", "\"before\":5,\"pageEnd\":\"9\"",
                            "\"before\":5,\"pageEnd\":9.5", "\"before\":0,\"pageEnd\":3", "\"before\":5,\"last\":9"}, r) + "}")
                    .getBytes(StandardCharsets.UTF_8));
            case 4 -> url.encodeToString(hugeString(r, 50 + r.nextInt(2000)).getBytes(StandardCharsets.UTF_8));
            default -> hugeString(r, 10 + r.nextInt(2000));
        };
    }

    private static String validIdChars(Random r, int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ID_CHARS.charAt(r.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    /** Text of at least {@code minLength} UTF-16 units, mixing ASCII, accents, CJK, emoji and right-to-left marks. */
    private static String tooLongText(Random r, int minLength) {
        StringBuilder text = new StringBuilder();
        while (text.length() < minLength + r.nextInt(3000)) {
            text.append(pick(new String[] {"a", "Z", " ", "é", "工", "😀", "\u202E", "ß", "-"}, r));
        }
        return text.toString();
    }

    /** A string of about {@code length} characters from anywhere: control characters, surrogate pairs, symbols. */
    private static String hugeString(Random r, int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            int kind = r.nextInt(5);
            switch (kind) {
                case 0 -> text.append((char) (0x20 + r.nextInt(0x5F)));
                case 1 -> text.append((char) r.nextInt(0x20));
                case 2 -> text.append((char) (0xA0 + r.nextInt(0x2000)));
                case 3 -> text.appendCodePoint(0x1F300 + r.nextInt(0x300));
                default -> text.append(pick(INJECTIONS, r));
            }
        }
        return text.toString();
    }

    private static String fiftyOneEmails() {
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            emails.add("\"ops" + i + "@x.example\"");
        }
        return "[" + String.join(",", emails) + "]";
    }

    private static String twentyOneThresholds() {
        List<String> thresholds = new ArrayList<>();
        for (int i = 1; i <= 21; i++) {
            thresholds.add(Integer.toString(i * 10));
        }
        return "[" + String.join(",", thresholds) + "]";
    }

    private static String pick(String[] values, Random r) {
        return values[r.nextInt(values.length)];
    }

    static String shorten(String value) {
        String printable = value.replace("\n", "\\n").replace("\r", "\\r").replace("\u0000", "\\0");
        return printable.length() <= 60 ? printable : printable.substring(0, 60) + "…(" + value.length() + ")";
    }
}
