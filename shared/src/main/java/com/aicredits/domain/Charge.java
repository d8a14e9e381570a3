package com.aicredits.domain;

/**
 * What one run costs a workspace: the catalog price for its model, adjusted by the workspace's pricing model.
 * Free activities and (under LEGACY) case activities are recorded at 0 credits, whatever the model. Under LEGACY a
 * platform run is priced by the LLM model it ran on ({@code llmModel}, the catalog's per-model prices); EXTEND keeps
 * one price per run and only records the LLM model.
 */
public record Charge(Price price, Credits credits, boolean free, boolean countedAsCase, ExecutionModel model, String llmModel) {

    public static Charge of(Price price, PricingModel pricingModel) {
        return of(price, pricingModel, ExecutionModel.PLATFORM, null);
    }

    public static Charge of(Price price, PricingModel pricingModel, ExecutionModel model) {
        return of(price, pricingModel, model, null);
    }

    public static Charge of(Price price, PricingModel pricingModel, ExecutionModel model, String llmModel) {
        Feature feature = price.feature();
        if (feature == Feature.FREE) {
            return new Charge(price, Credits.ZERO, true, false, model, llmModel);
        }
        if (pricingModel == PricingModel.LEGACY && feature.isCaseFeature()) {
            return new Charge(price, Credits.ZERO, false, true, model, llmModel);
        }
        Credits credits = model == ExecutionModel.BYOS ? price.credits(model)
                : pricingModel == PricingModel.LEGACY ? price.activity().credits(llmModel) : price.credits();
        return new Charge(price, credits, false, false, model, llmModel);
    }

    public Feature feature() {
        return price.feature();
    }

    public boolean byos() {
        return model == ExecutionModel.BYOS;
    }
}
