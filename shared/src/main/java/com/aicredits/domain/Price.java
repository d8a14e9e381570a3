package com.aicredits.domain;

/** The price of one run of an activity, as fixed by a catalog version. */
public record Price(Activity activity, String version) {
    public Feature feature() {
        return activity.feature();
    }

    public Credits credits() {
        return activity.credits();
    }

    public Credits credits(ExecutionModel model) {
        return activity.credits(model);
    }
}
