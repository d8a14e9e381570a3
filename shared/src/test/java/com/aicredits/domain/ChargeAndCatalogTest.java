package com.aicredits.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import com.aicredits.json.PriceCatalogFile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChargeAndCatalogTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final PriceCatalog catalog = PriceCatalogFile.loadDefault();

    @ParameterizedTest
    @CsvSource({"case.investigation,CASE_INVESTIGATION,12", "case.conversation,CASE_CONVERSATION,8",
            "agent.execution,AI_AGENT,6", "task.execution,AI_TASK,1", "builder.assist,FREE,0", "case.summary,FREE,0"})
    void theDefaultCatalogHasTheSpecPrices(String key, Feature feature, long credits) {
        Price price = catalog.priceAt(key, NOW);

        assertThat(price.feature()).isEqualTo(feature);
        assertThat(price.credits()).isEqualTo(Credits.of(credits));
        assertThat(price.version()).isEqualTo("2026-01-01");
    }

    @Test
    void aByosRunIsPricedAtTheByosPriceFreeStaysFreeAndLegacyCasesStayCounted() {
        Price agent = new Price(new Activity("agent.execution", Feature.AI_AGENT, "agent", Credits.of(6), Credits.of(2)), "v2");
        Price investigation = new Price(new Activity("case.investigation", Feature.CASE_INVESTIGATION, "case", Credits.of(12), Credits.of(3)), "v2");
        Price free = catalog.priceAt("builder.assist", NOW);

        assertThat(Charge.of(agent, PricingModel.EXTEND, ExecutionModel.BYOS).credits()).isEqualTo(Credits.of(2));
        assertThat(Charge.of(agent, PricingModel.EXTEND, ExecutionModel.PLATFORM).credits()).isEqualTo(Credits.of(6));
        assertThat(Charge.of(free, PricingModel.EXTEND, ExecutionModel.BYOS).credits()).isEqualTo(Credits.ZERO);
        Charge legacyCase = Charge.of(investigation, PricingModel.LEGACY, ExecutionModel.BYOS);
        assertThat(legacyCase.credits()).isEqualTo(Credits.ZERO);
        assertThat(legacyCase.countedAsCase()).isTrue();
        assertThat(catalog.priceAt("agent.execution", NOW).credits(ExecutionModel.BYOS)).as("the shipped BYOS price").isEqualTo(Credits.ZERO);
        assertThatThrownBy(() -> new Activity("builder.assist", Feature.FREE, "free", Credits.ZERO, Credits.of(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDebitIsPricedByTheVersionInForceAtItsOccurredAt() {
        Activity cheap = new Activity("task.execution", Feature.AI_TASK, "task", Credits.of(1));
        Activity dear = new Activity("task.execution", Feature.AI_TASK, "task", Credits.of(2));
        PriceCatalog amended = new PriceCatalog(List.of(
                new PriceCatalog.Version("v1", Instant.EPOCH, Map.of(cheap.key(), cheap)),
                new PriceCatalog.Version("v2", Instant.parse("2026-12-01T00:00:00Z"), Map.of(dear.key(), dear))));

        assertThat(amended.priceAt("task.execution", Instant.parse("2026-11-30T23:59:59.999Z")).version()).isEqualTo("v1");
        assertThat(amended.priceAt("task.execution", Instant.parse("2026-12-01T00:00:00Z")).credits()).isEqualTo(Credits.of(2));
    }

    @Test
    void theNextVersionIsTheOneAfterTheVersionInForce() {
        Activity task = new Activity("task.execution", Feature.AI_TASK, "task", Credits.of(1));
        PriceCatalog.Version v1 = new PriceCatalog.Version("v1", Instant.EPOCH, Map.of(task.key(), task));
        PriceCatalog.Version v2 = new PriceCatalog.Version("v2", Instant.parse("2026-12-01T00:00:00Z"), Map.of(task.key(), task));
        PriceCatalog.Version v3 = new PriceCatalog.Version("v3", Instant.parse("2027-01-01T00:00:00Z"), Map.of(task.key(), task));
        PriceCatalog amended = new PriceCatalog(List.of(v3, v1, v2));

        assertThat(amended.nextAfter(NOW)).contains(v2);
        assertThat(amended.nextAfter(v2.effectiveFrom())).contains(v3);
        assertThat(amended.nextAfter(v3.effectiveFrom())).isEmpty();
        assertThat(catalog.nextAfter(NOW)).isEmpty();
        assertThatThrownBy(() -> new PriceCatalog(List.of(v1, new PriceCatalog.Version("v1", NOW, Map.of()))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownActivityIsABadRequestListingTheKnownOnes() {
        assertThatThrownBy(() -> catalog.priceAt("image.generation", NOW)).isInstanceOfSatisfying(CreditsException.class,
                e -> assertThat(e.getMessage()).contains("task.execution"));
    }

    @Test
    void legacyPricingCountsCasesInsteadOfDebitingThem() {
        Charge legacyCase = Charge.of(catalog.priceAt("case.investigation", NOW), PricingModel.LEGACY);
        Charge legacyAgent = Charge.of(catalog.priceAt("agent.execution", NOW), PricingModel.LEGACY);
        Charge extendCase = Charge.of(catalog.priceAt("case.investigation", NOW), PricingModel.EXTEND);

        assertThat(legacyCase.credits()).isEqualTo(Credits.ZERO);
        assertThat(legacyCase.countedAsCase()).isTrue();
        assertThat(legacyAgent.credits()).isEqualTo(Credits.of(6));
        assertThat(extendCase.credits()).isEqualTo(Credits.of(12));
    }

    @Test
    void aLegacyAiTaskIsPricedByItsLlmModelInHundredthsAndExtendKeepsOnePrice() {
        Price task = catalog.priceAt("task.execution", NOW);

        assertThat(task.activity().llmModelCredits()).containsOnlyKeys("gpt-4o", "gpt-4-turbo", "gemini-1-pro", "gemini-1.5-pro");
        assertThat(Charge.of(task, PricingModel.LEGACY, ExecutionModel.PLATFORM, "gemini-1-pro").credits()).isEqualTo(Credits.parse("0.25"));
        assertThat(Charge.of(task, PricingModel.LEGACY, ExecutionModel.PLATFORM, "gpt-4-turbo").credits()).isEqualTo(Credits.of(2));
        assertThat(Charge.of(task, PricingModel.LEGACY, ExecutionModel.PLATFORM, "a-model-not-listed").credits()).isEqualTo(Credits.of(1));
        assertThat(Charge.of(task, PricingModel.LEGACY, ExecutionModel.PLATFORM, null).credits()).isEqualTo(Credits.of(1));
        Charge extend = Charge.of(task, PricingModel.EXTEND, ExecutionModel.PLATFORM, "gpt-4-turbo");
        assertThat(extend.credits()).as("one run, one price").isEqualTo(Credits.of(1));
        assertThat(extend.llmModel()).isEqualTo("gpt-4-turbo");
        assertThat(Charge.of(task, PricingModel.LEGACY, ExecutionModel.BYOS, "gpt-4-turbo").credits()).as("BYOS keeps its own price")
                .isEqualTo(Credits.ZERO);
    }
}
