package com.aicredits.system.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.aicredits.local.http.LocalApiServer;
import com.aicredits.system.stack.ReliabilityStack;
import com.aicredits.testkit.OpenApiContract;
import java.nio.file.Files;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The local stack serves the API's contract, and in the tests it checks every exchange against it. */
@Tag("reliability")
class OpenApiServedIntegrationTest {
    private static final ReliabilityStack api = ReliabilityStack.shared();

    @Test
    void servesOpenApiYamlAsTheRepositoryHasIt() throws Exception {
        ReliabilityStack.Reply reply = api.send("GET", "/openapi.yaml", null, null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/yaml");
        assertThat(reply.body()).isEqualTo(Files.readString(OpenApiContract.documentPath()));
    }

    @Test
    void theTestClasspathTurnsTheContractCheckOn() {
        assertThat(ServiceLoader.load(LocalApiServer.ExchangeCheck.class).findFirst()).get().isInstanceOf(ContractCheckedApi.class);
    }
}
