package com.aicredits.domain;

/**
 * What one run costs a workspace: the catalog price for its model, adjusted by the workspace's pricing model.
 * Free activities and (under LEGACY) case activities are recorded at 0 credits, whatever the model.
 */
public record Charge(Price price, long credits, boolean free, boolean countedAsCase, ExecutionModel model) {

    public static Charge of(Price price, PricingModel pricingModel) {
        return of(price, pricingModel, ExecutionModel.PLATFORM);
    }

    public static Charge of(Price price, PricingModel pricingModel, ExecutionModel model) {
        Feature feature = price.feature();
        if (feature == Feature.FREE) {
            return new Charge(price, 0, true, false, model);
        }
        if (pricingModel == PricingModel.LEGACY && feature.isCaseFeature()) {
            return new Charge(price, 0, false, true, model);
        }
        return new Charge(price, price.credits(model), false, false, model);
    }

    public Feature feature() {
        return price.feature();
    }

    public boolean byos() {
        return model == ExecutionModel.BYOS;
    }
}
