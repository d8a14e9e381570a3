package com.aicredits.domain;

/**
 * One alert of a workspace and period: a threshold (e.g. 80) or the forecast. Its marker item records that it fired
 * and which of its deliveries (email, event) have been done, so a retry only redoes what is missing.
 */
public record Alert(Kind kind, int threshold) {
    public enum Kind { THRESHOLD, FORECAST }

    public static Alert threshold(int percent) {
        return new Alert(Kind.THRESHOLD, percent);
    }

    public static Alert forecast() {
        return new Alert(Kind.FORECAST, 0);
    }

    /** The marker's sort-key suffix; zero-padded so markers sort by threshold. */
    public String key() {
        return kind == Kind.FORECAST ? "FORECAST" : String.format("THRESHOLD#%04d", threshold);
    }

    public static Alert fromKey(String key) {
        return key.equals("FORECAST") ? forecast() : threshold(Integer.parseInt(key.substring("THRESHOLD#".length())));
    }
}
