package com.aicredits.testkit;

import com.aicredits.emulation.template.CloudFormationTemplate;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The sample events of {@code events/}, loaded with the Lambda runtime's own serialization
 * (aws-lambda-java-tests), so tests feed the handlers exactly what API Gateway sends.
 */
public final class ApiEvents {
    private ApiEvents() {
    }

    public static Path eventsDirectory() {
        Path template = CloudFormationTemplate.find();
        Path events = template.getParent().resolve("events");
        if (!Files.isDirectory(events)) {
            throw new IllegalStateException("no events/ beside " + template);
        }
        return events;
    }

    /** A fresh copy of {@code events/<name>}, for a test to adapt. */
    public static APIGatewayV2HTTPEvent load(String name) {
        return EventLoader.loadApiGatewayHttpEvent(eventsDirectory().resolve(name).toString());
    }

    /** {@code events/<name>} aimed at another workspace, with another body (null for none). */
    public static APIGatewayV2HTTPEvent load(String name, String workspaceId, String body) {
        APIGatewayV2HTTPEvent event = load(name);
        Map<String, String> path = new HashMap<>(event.getPathParameters());
        path.put("workspaceId", workspaceId);
        event.setPathParameters(path);
        String rawPath = event.getRawPath().replaceFirst("/workspaces/[^/]+", "/workspaces/" + workspaceId);
        event.setRawPath(rawPath);
        event.getRequestContext().getHttp().setPath(rawPath);
        event.setBody(body);
        return event;
    }

    /** {@code events/<name>} (an organization's route) aimed at another organization, with another body (null for none). */
    /** {@code event} with the header {@code name} set to {@code value} (HTTP API hands names over in lower case). */
    public static APIGatewayV2HTTPEvent withHeader(APIGatewayV2HTTPEvent event, String name, String value) {
        Map<String, String> headers = new HashMap<>(event.getHeaders() == null ? Map.of() : event.getHeaders());
        headers.put(name, value);
        event.setHeaders(headers);
        return event;
    }

    public static APIGatewayV2HTTPEvent forOrganization(String name, String organizationId, String body) {
        APIGatewayV2HTTPEvent event = load(name);
        Map<String, String> path = new HashMap<>(event.getPathParameters());
        path.put("orgId", organizationId);
        event.setPathParameters(path);
        String rawPath = event.getRawPath().replaceFirst("/organizations/[^/]+", "/organizations/" + organizationId);
        event.setRawPath(rawPath);
        event.getRequestContext().getHttp().setPath(rawPath);
        event.setBody(body);
        return event;
    }
}
