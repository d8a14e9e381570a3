package com.aicredits.system.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.system.stack.ReliabilityStack;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The one Content-Type rule, on every route of template.yaml that takes a body, over HTTP: a valid body without a
 * Content-Type is a 415 and writes nothing, as any other type but application/json is.
 */
@Tag("reliability")
class ContentTypeIntegrationTest {
    private static final ReliabilityStack api = ReliabilityStack.shared();

    @BeforeAll
    static void fixtureOrganization() {
        ApiRoutes.prepare(api);
    }

    @TestFactory
    Stream<DynamicTest> aValidBodyWithoutContentTypeIsA415OnEveryRouteThatTakesABody() {
        return ApiRoutes.fromTemplate().stream().filter(route -> ApiRoutes.spec(route).takesBody())
                .map(route -> DynamicTest.dynamicTest(route.routeKey(), () -> {
                    ApiRoutes.Spec spec = ApiRoutes.spec(route);
                    ApiRoutes.Request valid = ApiRoutes.validRequest(route);
                    String token = api.token(spec.caller().tokenRole, spec.caller() == ApiRoutes.Caller.MANAGER ? ApiRoutes.ORGANIZATION : null);
                    api.settle();
                    Map<String, ?> before = api.snapshot();

                    ReliabilityStack.Reply reply = api.send(valid.method(), valid.pathAndQuery(), token, null,
                            valid.body().getBytes(StandardCharsets.UTF_8));

                    assertThat(reply.status()).as(reply.body()).isEqualTo(415);
                    assertThat(reply.errorCode()).isEqualTo("unsupported_media_type");
                    assertThat(reply.json().at("/error/message").asText()).contains("no Content-Type");
                    api.settle();
                    assertThat(api.snapshot()).isEqualTo(before);
                }));
    }
}
