package com.aicredits.domain;

/** The breakdown group an activity's credits are reported under. */
public enum Feature {
    CASE_INVESTIGATION,
    CASE_CONVERSATION,
    AI_AGENT,
    AI_TASK,
    /** Recorded and visible in usage, never debited and never refused for credits. */
    FREE;

    /** The features usage reports credits for (every key always present). */
    public static final java.util.List<Feature> CHARGEABLE = java.util.List.of(CASE_INVESTIGATION, CASE_CONVERSATION, AI_AGENT, AI_TASK);

    public boolean isCaseFeature() {
        return this == CASE_INVESTIGATION || this == CASE_CONVERSATION;
    }
}
