package com.aicredits.client;

/**
 * What an admin write left stored, and whether this call made it: a 201, or a 200 after an attempt of this same call
 * whose answer was lost (the 200 then shows that attempt's own write). A 200 with no such attempt before it found the
 * value already there (the same settings, or a purchaseId bought before).
 */
public record Saved<T>(T value, boolean created, int attempts) {
}
