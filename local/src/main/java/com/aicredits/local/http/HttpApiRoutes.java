package com.aicredits.local.http;

import com.aicredits.emulation.template.CloudFormationTemplate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every HttpApi event of template.yaml: method and path (with {params}) to the function, and its scopes. */
public final class HttpApiRoutes {
    /** One route; {@code authorized} is false for {@code Authorizer: NONE}. */
    public record Route(String functionLogicalId, String method, String path, boolean authorized, List<String> scopes,
                        Pattern pattern, List<String> parameterNames) {
        public String routeKey() {
            return method + " " + path;
        }
    }

    /** A route matched against a request, with its path parameters. */
    public record Match(Route route, Map<String, String> pathParameters) {
    }

    private final List<Route> routes;

    private HttpApiRoutes(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    @SuppressWarnings("unchecked")
    public static HttpApiRoutes fromTemplate(CloudFormationTemplate template) {
        List<Route> routes = new ArrayList<>();
        for (String functionId : template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            Object events = template.effectiveProperties(functionId).get("Events");
            if (!(events instanceof Map<?, ?> eventMap)) {
                continue;
            }
            for (Object event : eventMap.values()) {
                Map<String, Object> definition = (Map<String, Object>) event;
                if (!"HttpApi".equals(definition.get("Type"))) {
                    continue;
                }
                Map<String, Object> properties = (Map<String, Object>) definition.getOrDefault("Properties", Map.of());
                Map<String, Object> auth = (Map<String, Object>) properties.getOrDefault("Auth", Map.of());
                String method = String.valueOf(properties.getOrDefault("Method", "ANY")).toUpperCase();
                String path = String.valueOf(properties.get("Path"));
                List<String> scopes = (List<String>) auth.getOrDefault("AuthorizationScopes", List.of());
                boolean authorized = !"NONE".equals(auth.get("Authorizer"));
                List<String> names = new ArrayList<>();
                routes.add(new Route(functionId, method, path, authorized, List.copyOf(scopes), compile(path, names), names));
            }
        }
        return new HttpApiRoutes(routes);
    }

    public List<Route> routes() {
        return routes;
    }

    public Optional<Match> match(String method, String path) {
        for (Route route : routes) {
            if (!route.method().equals(method) && !route.method().equals("ANY")) {
                continue;
            }
            Matcher matcher = route.pattern().matcher(path);
            if (matcher.matches()) {
                Map<String, String> parameters = new LinkedHashMap<>();
                for (int i = 0; i < route.parameterNames().size(); i++) {
                    parameters.put(route.parameterNames().get(i), java.net.URLDecoder.decode(matcher.group(i + 1),
                            java.nio.charset.StandardCharsets.UTF_8));
                }
                return Optional.of(new Match(route, parameters));
            }
        }
        return Optional.empty();
    }

    /** {@code /v1/workspaces/{workspaceId}} → a regex with one group per parameter ({@code {proxy+}} spans slashes). */
    private static Pattern compile(String path, List<String> names) {
        StringBuilder regex = new StringBuilder();
        Matcher parameter = Pattern.compile("\\{([^}]+)}").matcher(path);
        int last = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(path.substring(last, parameter.start())));
            String name = parameter.group(1);
            boolean greedy = name.endsWith("+");
            names.add(greedy ? name.substring(0, name.length() - 1) : name);
            regex.append(greedy ? "(.+)" : "([^/]+)");
            last = parameter.end();
        }
        regex.append(Pattern.quote(path.substring(last)));
        return Pattern.compile(regex.toString());
    }
}
