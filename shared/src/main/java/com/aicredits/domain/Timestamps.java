package com.aicredits.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Timestamps on the wire: ISO-8601 in UTC with milliseconds, e.g. {@code 2026-11-25T10:15:30.123Z}. */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /** Parses an ISO-8601 date-time with an offset ({@code Z} or {@code +02:00}), truncated to milliseconds. */
    public static Instant parse(String field, String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw CreditsException.invalid(field,
                    field + " must be an ISO-8601 date-time with an offset, e.g. 2026-11-25T10:15:30Z; got " + CreditsException.quote(text));
        }
    }
}
