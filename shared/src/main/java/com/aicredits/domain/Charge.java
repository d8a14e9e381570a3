package com.aicredits.domain;

/**
 * What one run costs a workspace: the catalog price, adjusted by the workspace's pricing model.
 * Free activities and (under LEGACY) case activities are recorded at 0 credits.
 */
public record Charge(Price price, long credits, boolean free, boolean countedAsCase) {

    public static Charge of(Price price, PricingModel pricingModel) {
        Feature feature = price.feature();
        if (feature == Feature.FREE) {
            return new Charge(price, 0, true, false);
        }
        if (pricingModel == PricingModel.LEGACY && feature.isCaseFeature()) {
            return new Charge(price, 0, false, true);
        }
        return new Charge(price, price.credits(), false, false);
    }

    public Feature feature() {
        return price.feature();
    }
}
