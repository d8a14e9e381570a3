package com.aicredits.local.http;

import com.aicredits.json.Json;
import com.aicredits.local.identity.LocalAuthorizer;
import com.aicredits.local.identity.LocalIdentityProvider;
import com.aicredits.local.lambda.LocalFunctions;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP API on 127.0.0.1: each request is matched to a route of template.yaml, authorized as API Gateway's JWT
 * authorizer would, turned into a genuine payload-2.0 {@link APIGatewayV2HTTPEvent} and handed to the real handler;
 * its status, headers and body go back as they are. {@code /_local/...} holds the local-only endpoints (the dev tokens,
 * and the identity provider the stack plays, {@link LocalIdentityProvider}); any other GET
 * outside {@code /v1/} may name a file of the overview page's folder ({@code /} is its index.html), and
 * {@code /openapi.yaml} is the API's contract.
 *
 * <p>It runs on Eclipse Jetty (a dependency of its own, see local/pom.xml) rather than the JDK's own server, because what
 * the HTTP server itself refuses must be answered as API Gateway answers: {@code {"message":"Bad Request"}} for a
 * request it cannot parse (a malformed percent-escape, a request target that is not a path), as
 * {@code {"message":"Not Found"}} is for a path no route matches, never a server's HTML page. Paths otherwise reach
 * the routes as sent (encoded slashes and dots included), as API Gateway hands them on.
 */
public final class LocalApiServer implements AutoCloseable {
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

    /** What the local-only endpoints need from the rest of the stack; {@code clock}: the stack's time. */
    public record LocalEndpoints(BiFunction<String, Instant, Object> fireSchedule, Supplier<String> emailsJson,
                                 Path overviewDirectory, Path openApiDocument, Clock clock) {
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

    private final Server server;
    private final ServerConnector connector;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpApiRoutes routes;
    private final LocalFunctions functions;
    private final LocalAuthorizer authorizer;
    private final LocalEndpoints endpoints;
    private final StaticFiles overview;
    private final LocalIdentityProvider identityProvider;

    private LocalApiServer(Server server, ServerConnector connector, HttpApiRoutes routes, LocalFunctions functions,
                           LocalAuthorizer authorizer, LocalEndpoints endpoints) {
        this.server = server;
        this.connector = connector;
        this.routes = routes;
        this.functions = functions;
        this.authorizer = authorizer;
        this.endpoints = endpoints;
        this.overview = new StaticFiles(endpoints.overviewDirectory());
        this.identityProvider = new LocalIdentityProvider(authorizer, LocalIdentityProvider.tokenLifetimeFromEnvironment());
    }

    /** Binds 127.0.0.1:{@code port} (0: any free port); a taken port is a clear error. */
    public static LocalApiServer start(int port, HttpApiRoutes routes, LocalFunctions functions, LocalAuthorizer authorizer,
                                       LocalEndpoints endpoints) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("local-api");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        // Every path the HTTP server can parse goes on to the routes, which refuse what they must, as API Gateway does.
        http.setUriCompliance(UriCompliance.UNSAFE);
        // As the JDK's server did: the routes judge a long query (each a 4xx naming it), not the HTTP server.
        http.setRequestHeaderSize(1024 * 1024);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(128);
        server.addConnector(connector);
        LocalApiServer api = new LocalApiServer(server, connector, routes, functions, authorizer, endpoints);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                api.executor.execute(() -> api.handle(request, response, callback));
                return true;
            }
        });
        server.setErrorHandler((Request.Handler) (request, response, callback) -> {
            // Jetty closes the connection after a request it could not parse: say so, or a client reuses it and loses
            // its next request to the close.
            response.getHeaders().put("connection", "close");
            send(response, callback, gatewayError(response.getStatus()));
            return true;
        });
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    throw new IllegalStateException("port " + port + " on 127.0.0.1 is taken; stop what uses it or start with PORT=<another port>");
                }
            }
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        return api;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** API Gateway's own answer for a request it refuses before any route: {@code {"message":"Not Found"}} and so on. */
    private static Reply gatewayError(int status) {
        return Reply.json(status, Json.write(Map.of("message", HttpStatus.getMessage(status))));
    }

    private void handle(Request request, Response response, Callback callback) {
        Reply reply;
        try {
            reply = route(request);
        } catch (MalformedRequest e) {
            reply = gatewayError(400);
        } catch (IOException | RuntimeException | AssertionError e) {
            System.err.println("local API: " + request.getMethod() + " " + request.getHttpURI() + " failed: " + e);
            e.printStackTrace();
            reply = e instanceof AssertionError broken // a test's contract check, failing in a handler
                    ? Reply.json(500, Json.write(Map.of("message", "contract violation: " + broken.getMessage())))
                    : Reply.json(500, "{\"message\":\"Internal Server Error\"}");
        }
        send(response, callback, reply);
    }

    private static void send(Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status());
        reply.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        byte[] body = reply.body();
        if (body.length == 0) {
            response.write(true, null, callback);
        } else {
            response.getHeaders().put("content-length", Integer.toString(body.length));
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    /** What API Gateway would refuse before routing (a query with a malformed percent-escape). */
    private static final class MalformedRequest extends RuntimeException {
        MalformedRequest(Throwable cause) {
            super(cause);
        }
    }

    private Reply route(Request request) throws IOException {
        // Read before any answer: a body left unread would make the server close the connection a client reuses.
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(MAX_REQUEST_BYTES);
            in.transferTo(OutputStream.nullOutputStream());
        }
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String path = request.getHttpURI().getPath();
        String rawQuery = request.getHttpURI().getQuery();
        Map<String, String> query = query(rawQuery);
        if (path.startsWith("/_local/")) {
            Optional<LocalIdentityProvider.Answer> signIn = identityProvider.handle(method, path, query, body);
            if (signIn.isPresent()) {
                return new Reply(signIn.get().status(), signIn.get().headers(), signIn.get().body());
            }
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
        Optional<HttpApiRoutes.Match> match;
        try {
            match = routes.match(method, path);
        } catch (IllegalArgumentException undecodable) {
            throw new MalformedRequest(undecodable);
        }
        if (match.isEmpty()) {
            return Reply.json(404, "{\"message\":\"Not Found\"}");
        }
        Routed routed = invoke(request, body, path, rawQuery, match.get(), query);
        if (EXCHANGE_CHECK != null) {
            Map<String, String> requestHeaders = new LinkedHashMap<>();
            request.getHeaders().forEach(field -> requestHeaders.merge(field.getLowerCaseName(), field.getValue(), (a, b) -> a + "," + b));
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

    private Routed invoke(Request request, byte[] body, String path, String rawQuery, HttpApiRoutes.Match match,
                          Map<String, String> query) {
        HttpApiRoutes.Route route = match.route();
        LocalAuthorizer.Decision decision = route.authorized()
                ? authorizer.authorize(request.getHeaders().get("Authorization"), route.scopes())
                : new LocalAuthorizer.Decision.Allowed(null, List.of());
        if (decision instanceof LocalAuthorizer.Decision.Denied denied) {
            Map<String, String> headers = denied.status() == 401
                    ? Map.of("content-type", "application/json", "www-authenticate", "Bearer")
                    : Map.of("content-type", "application/json");
            return new Routed(new Reply(denied.status(), headers, ("{\"message\":\"" + denied.message() + "\"}")
                    .getBytes(StandardCharsets.UTF_8)), null);
        }
        APIGatewayV2HTTPEvent event = event(request, body, path, rawQuery, match, query, (LocalAuthorizer.Decision.Allowed) decision,
                endpoints.clock().instant());
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
                at = query.containsKey("at") ? Instant.parse(query.get("at")) : endpoints.clock().instant();
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

    private static APIGatewayV2HTTPEvent event(Request request, byte[] bytes, String rawPath, String rawQuery,
                                               HttpApiRoutes.Match match, Map<String, String> query,
                                               LocalAuthorizer.Decision.Allowed allowed, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            String lower = field.getName().toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                cookies.addAll(List.of(field.getValue().split(";\\s*")));
            } else {
                headers.merge(lower, field.getValue(), (a, b) -> a + "," + b);
            }
        }
        boolean textual = isTextual(headers.get("content-type"));
        String body = bytes.length == 0 ? null
                : textual ? new String(bytes, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(bytes);
        String sourceIp = Request.getRemoteAddr(request);
        HttpApiRoutes.Route route = match.route();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = allowed.claims() == null ? null
                : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                .withClaims(allowed.claims()).withScopes(allowed.scopes()).build())
                        .build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route.routeKey())
                .withRawPath(rawPath)
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
                                .withMethod(route.method().equals("ANY") ? request.getMethod() : route.method())
                                .withPath(rawPath)
                                .withProtocol(request.getConnectionMetaData().getProtocol())
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
            String name;
            String value;
            try {
                name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new MalformedRequest(e);
            }
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
        stopQuietly(server);
        executor.shutdownNow();
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("local API: stopping the server failed: " + e);
        }
    }
}
