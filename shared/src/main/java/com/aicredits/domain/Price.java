package com.aicredits.domain;

/** The price of one run of an activity, as fixed by a catalog version. */
public record Price(Activity activity, String version) {
    public Feature feature() {
        return activity.feature();
    }

    public long credits() {
        return activity.credits();
    }

    public long credits(ExecutionModel model) {
        return activity.credits(model);
    }
}
