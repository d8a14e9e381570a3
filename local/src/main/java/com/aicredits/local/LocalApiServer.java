package com.aicredits.local;

import com.aicredits.json.Json;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The HTTP API on 127.0.0.1: each request is matched to a route of template.yaml, authorized as API Gateway's JWT
 * authorizer would, turned into a genuine payload-2.0 {@link APIGatewayV2HTTPEvent} and handed to the real handler;
 * its status, headers and body go back as they are. {@code /_local/...} holds the local-only endpoints; any other GET
 * outside {@code /v1/} may name a file of the overview page's folder ({@code /} is its index.html), and
 * {@code /openapi.yaml} is the API's contract.
 */
public final class LocalApiServer implements AutoCloseable {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

    /** What the local-only endpoints need from the rest of the stack. */
    public record LocalEndpoints(BiFunction<String, Instant, Object> fireSchedule, Supplier<String> emailsJson,
                                 Path overviewDirectory, Path openApiDocument) {
    }

    /**
     * Sees each exchange on a route of the API: the tests check every one against openapi.yaml. Found through
     * ServiceLoader, so {@code make run}, whose classpath has no test classes, has none. A non-null answer says how the
     * exchange broke the contract; the client then gets a 500 saying so instead of the answer.
     */
    public interface ExchangeCheck {
        String violation(HttpApiRoutes.Match match, String method, Map<String, String> query, Map<String, String> requestHeaders,
                         String requestBody, int status, Map<String, String> responseHeaders, byte[] responseBody);
    }

    private static final ExchangeCheck EXCHANGE_CHECK = ServiceLoader.load(ExchangeCheck.class).findFirst().orElse(null);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpApiRoutes routes;
    private final LocalFunctions functions;
    private final LocalAuthorizer authorizer;
    private final LocalEndpoints endpoints;
    private final StaticFiles overview;

    private LocalApiServer(HttpServer server, HttpApiRoutes routes, LocalFunctions functions, LocalAuthorizer authorizer,
                           LocalEndpoints endpoints) {
        this.server = server;
        this.routes = routes;
        this.functions = functions;
        this.authorizer = authorizer;
        this.endpoints = endpoints;
        this.overview = new StaticFiles(endpoints.overviewDirectory());
    }

    /** Binds 127.0.0.1:{@code port} (0: any free port); a taken port is a clear error. */
    public static LocalApiServer start(int port, HttpApiRoutes routes, LocalFunctions functions, LocalAuthorizer authorizer,
                                       LocalEndpoints endpoints) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        } catch (BindException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is taken; stop what uses it or start with PORT=<another port>");
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        LocalApiServer api = new LocalApiServer(server, routes, functions, authorizer, endpoints);
        server.setExecutor(api.executor);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange);
            } catch (RuntimeException | AssertionError e) {
                System.err.println("local API: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed: " + e);
                e.printStackTrace();
                reply = e instanceof AssertionError broken // a test's contract check, failing in a handler
                        ? Reply.json(500, Json.write(Map.of("message", "contract violation: " + broken.getMessage())))
                        : Reply.json(500, "{\"message\":\"Internal Server Error\"}");
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] body = reply.body();
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private Reply route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath();
        Map<String, String> query = query(uri.getRawQuery());
        if (path.startsWith("/_local/")) {
            return local(method, path, query);
        }
        if (method.equals("GET") && path.equals("/openapi.yaml")) {
            return new Reply(200, Map.of("content-type", "application/yaml; charset=utf-8", "cache-control", "no-cache"),
                    Files.readAllBytes(endpoints.openApiDocument()));
        }
        if (method.equals("GET") && !path.startsWith("/v1/")) {
            Optional<StaticFiles.File> file = overview.find(path);
            if (file.isPresent()) {
                return new Reply(200, Map.of("content-type", file.get().contentType(), "cache-control", "no-cache",
                        "x-content-type-options", "nosniff"), file.get().content());
            }
        }
        Optional<HttpApiRoutes.Match> match = routes.match(method, path);
        if (match.isEmpty()) {
            return Reply.json(404, "{\"message\":\"Not Found\"}");
        }
        Routed routed = invoke(exchange, match.get(), query);
        if (EXCHANGE_CHECK != null) {
            Map<String, String> requestHeaders = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> requestHeaders.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            String requestBody = routed.event() == null || routed.event().getBody() == null ? null
                    : routed.event().getIsBase64Encoded()
                    ? new String(Base64.getDecoder().decode(routed.event().getBody()), StandardCharsets.UTF_8) : routed.event().getBody();
            String violation = EXCHANGE_CHECK.violation(match.get(), method, query, requestHeaders, requestBody,
                    routed.reply().status(), routed.reply().headers(), routed.reply().body());
            if (violation != null) {
                return Reply.json(500, Json.write(Map.of("message", "contract violation: " + violation)));
            }
        }
        return routed.reply();
    }

    /** The answer of a route, and the event the function got (null when the authorizer answered). */
    private record Routed(Reply reply, APIGatewayV2HTTPEvent event) {
    }

    private Routed invoke(HttpExchange exchange, HttpApiRoutes.Match match, Map<String, String> query) throws IOException {
        HttpApiRoutes.Route route = match.route();
        LocalAuthorizer.Decision decision = route.authorized()
                ? authorizer.authorize(exchange.getRequestHeaders().getFirst("Authorization"), route.scopes())
                : new LocalAuthorizer.Decision.Allowed(null, List.of());
        if (decision instanceof LocalAuthorizer.Decision.Denied denied) {
            Map<String, String> headers = denied.status() == 401
                    ? Map.of("content-type", "application/json", "www-authenticate", "Bearer")
                    : Map.of("content-type", "application/json");
            return new Routed(new Reply(denied.status(), headers, ("{\"message\":\"" + denied.message() + "\"}").getBytes(StandardCharsets.UTF_8)), null);
        }
        APIGatewayV2HTTPEvent event = event(exchange, match, query, (LocalAuthorizer.Decision.Allowed) decision);
        APIGatewayV2HTTPResponse response = (APIGatewayV2HTTPResponse) functions.invoke(route.functionLogicalId(), event);
        return new Routed(reply(response), event);
    }

    private Reply local(String method, String path, Map<String, String> query) {
        if (method.equals("GET") && path.equals("/_local/token")) {
            try {
                String token = authorizer.token(query.getOrDefault("role", "service"), query.get("org"));
                return Reply.json(200, Json.write(Map.of("token", token)));
            } catch (IllegalArgumentException e) {
                return Reply.json(400, Json.write(Map.of("error", Map.of("code", "invalid_request", "message", e.getMessage()))));
            }
        }
        if (method.equals("GET") && path.equals("/_local/emails")) {
            return Reply.json(200, endpoints.emailsJson().get());
        }
        if (method.equals("POST") && path.startsWith("/_local/schedules/")) {
            String functionId = path.substring("/_local/schedules/".length());
            Instant at;
            try {
                at = query.containsKey("at") ? Instant.parse(query.get("at")) : Instant.now();
            } catch (DateTimeParseException e) {
                return Reply.json(400, Json.write(Map.of("error", Map.of("code", "invalid_at",
                        "message", "at must be an ISO-8601 instant such as 2026-12-01T00:00:00Z"))));
            }
            try {
                Object result = endpoints.fireSchedule().apply(functionId, at);
                return Reply.json(200, Json.write(Map.of("function", functionId, "time", at.toString(),
                        "result", result == null ? "" : result)));
            } catch (IllegalArgumentException e) {
                return Reply.json(404, Json.write(Map.of("error", Map.of("code", "not_found", "message", e.getMessage()))));
            }
        }
        return Reply.json(404, "{\"message\":\"Not Found\"}");
    }

    private static APIGatewayV2HTTPEvent event(HttpExchange exchange, HttpApiRoutes.Match match, Map<String, String> query,
                                               LocalAuthorizer.Decision.Allowed allowed) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(value -> cookies.addAll(List.of(value.split(";\\s*"))));
            } else {
                headers.put(lower, String.join(",", values));
            }
        });
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_REQUEST_BYTES);
        }
        boolean textual = isTextual(headers.get("content-type"));
        String body = bytes.length == 0 ? null
                : textual ? new String(bytes, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(bytes);
        Instant now = Instant.now();
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        HttpApiRoutes.Route route = match.route();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = allowed.claims() == null ? null
                : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                .withClaims(allowed.claims()).withScopes(allowed.scopes()).build())
                        .build();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route.routeKey())
                .withRawPath(exchange.getRequestURI().getRawPath())
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withBody(body)
                .withIsBase64Encoded(body != null && !textual)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId("local")
                        .withAuthorizer(authorizer)
                        .withDomainName(headers.getOrDefault("host", "127.0.0.1"))
                        .withDomainPrefix("local")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(route.method().equals("ANY") ? exchange.getRequestMethod() : route.method())
                                .withPath(exchange.getRequestURI().getRawPath())
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(sourceIp)
                                .withUserAgent(headers.getOrDefault("user-agent", ""))
                                .build())
                        .withRequestId(UUID.randomUUID().toString())
                        .withRouteKey(route.routeKey())
                        .withStage("$default")
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .build())
                .build();
    }

    /** API Gateway base64-encodes bodies it does not consider text. */
    private static boolean isTextual(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml") || type.contains("javascript")
                || type.startsWith("application/x-www-form-urlencoded");
    }

    /** Repeated parameters are joined with commas, as API Gateway does in payload 2.0. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters;
    }

    private static Reply reply(APIGatewayV2HTTPResponse response) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (response.getHeaders() != null) {
            headers.putAll(response.getHeaders());
        }
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        headers.putIfAbsent("content-type", "application/json");
        return new Reply(response.getStatusCode(), headers, bytes);
    }

    private record Reply(int status, Map<String, String> headers, byte[] body) {
        static Reply json(int status, String body) {
            return new Reply(status, Map.of("content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
