package com.aicredits.domain;

import com.aicredits.app.http.Refusals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {
    private static final List<UnaryOperator<String>> EVERY_KIND = List.of(Ids::executionId, Ids::agentId, Ids::purchaseId,
            Ids::workspaceId, Ids::organizationId);

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "...", "...................."})
    void anIdOfDotsOnlyIsRefusedForEveryKind(String dots) {
        for (UnaryOperator<String> kind : EVERY_KIND) {
            assertThatThrownBy(() -> kind.apply(dots)).isInstanceOfSatisfying(CreditsException.class, e -> {
                assertThat(Refusals.status(e)).isEqualTo(400);
                assertThat(e.getMessage()).contains("must not be only dots");
            });
        }
    }

    @Test
    void dotsBesideOtherCharactersStayAllowed() {
        for (UnaryOperator<String> kind : EVERY_KIND) {
            assertThat(kind.apply(".a")).isEqualTo(".a");
            assertThat(kind.apply("a..b")).isEqualTo("a..b");
            assertThat(kind.apply("v1.2.")).isEqualTo("v1.2.");
        }
    }
}
