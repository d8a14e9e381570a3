package com.aicredits.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aicredits.adapter.AwsClients;
import com.aicredits.app.http.TokenClaims;
import com.aicredits.service.Retries;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class ConfigurationTest {
    private static final Map<String, String> MINIMAL = Map.of("AWS_REGION", "eu-west-1", "TABLE_NAME", "credits");

    private static Map<String, String> with(String... pairs) {
        Map<String, String> environment = new HashMap<>(MINIMAL);
        for (int i = 0; i < pairs.length; i += 2) {
            environment.put(pairs[i], pairs[i + 1]);
        }
        return environment;
    }

    @Test
    void whatTheTemplateSetsIsReadOnceIntoOneRecord() {
        Configuration configuration = Configuration.from(with("RETRY_BUDGET_MILLIS", "10000", "TOKEN_CLAIMS", "Cognito",
                "METRICS_NAMESPACE", "aicredits/prod", "USAGE_OVERVIEW_BASE_URL", "https://usage.example",
                "NOTIFICATION_SETTINGS_URL", "https://app.example/{workspaceId}", "SENDER_EMAIL", "no-reply@example.com",
                "REPLY_TO_EMAIL", "team@example.com", "EVENT_BUS_NAME", "credits-bus", "RESET_CONCURRENCY", "8"));

        assertThat(configuration).isEqualTo(new Configuration(Region.EU_WEST_1, AwsClients.CredentialsSource.ENVIRONMENT,
                "credits", Duration.ofSeconds(10), TokenClaims.COGNITO, "aicredits/prod", "https://usage.example",
                "https://app.example/{workspaceId}", "no-reply@example.com", "team@example.com", "credits-bus", OptionalInt.of(8)));
    }

    @Test
    void optionalVariablesUnsetOrBlankTakeTheirDefaults() {
        Configuration configuration = Configuration.from(with("RETRY_BUDGET_MILLIS", " ", "TOKEN_CLAIMS", "",
                "METRICS_NAMESPACE", "", "REPLY_TO_EMAIL", " ", "EVENT_BUS_NAME", ""));

        assertThat(configuration.retryBudget()).isEqualTo(Retries.DEFAULT_BUDGET);
        assertThat(configuration.tokenClaims()).isEqualTo(TokenClaims.STANDARD);
        assertThat(configuration.metricsNamespace()).isEqualTo("aicredits");
        assertThat(configuration.replyToEmail()).isNull();
        assertThat(configuration.eventBusName()).isNull();
        assertThat(configuration.senderEmail()).isNull();
        assertThat(configuration.resetConcurrency()).isEmpty();
    }

    @Test
    void underSnapStartCredentialsComeFromTheContainerEndpoint() {
        assertThat(Configuration.from(with("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/creds")).credentials())
                .isEqualTo(AwsClients.CredentialsSource.CONTAINER);
        assertThat(Configuration.from(with("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials")).credentials())
                .isEqualTo(AwsClients.CredentialsSource.CONTAINER);
    }

    @Test
    void aMissingOrBadValueStopsTheContainerSayingWhich() {
        assertThatThrownBy(() -> Configuration.from(Map.of("AWS_REGION", "eu-west-1")))
                .hasMessage("environment variable TABLE_NAME is not set");
        assertThatThrownBy(() -> Configuration.from(Map.of("TABLE_NAME", "credits")))
                .hasMessage("environment variable AWS_REGION is not set");
        assertThatThrownBy(() -> Configuration.from(with("RETRY_BUDGET_MILLIS", "ten seconds")))
                .hasMessage("RETRY_BUDGET_MILLIS must be a positive number of milliseconds such as 10000; got 'ten seconds'");
        assertThatThrownBy(() -> Configuration.from(with("RETRY_BUDGET_MILLIS", "0")))
                .hasMessage("RETRY_BUDGET_MILLIS must be a positive number of milliseconds such as 10000; got '0'");
        assertThatThrownBy(() -> Configuration.from(with("TOKEN_CLAIMS", "cognito")))
                .hasMessage("TOKEN_CLAIMS must be Standard or Cognito; got 'cognito'");
        assertThatThrownBy(() -> Configuration.from(with("RESET_CONCURRENCY", "-1")))
                .hasMessage("RESET_CONCURRENCY must be a positive number of workspaces such as 8; got '-1'");
    }

    @Test
    void aSendingFunctionWithoutItsSenderSaysWhich() {
        assertThatThrownBy(() -> Configuration.required(Configuration.SENDER_EMAIL, null))
                .hasMessage("environment variable SENDER_EMAIL is not set");
    }
}
