package com.aicredits.domain;

/** How a workspace pays for case features. */
public enum PricingModel {
    /** Every feature draws from the credit pool. */
    EXTEND,
    /** Only AI tasks and agents draw credits; case investigations and conversations are counted as cases. */
    LEGACY
}
