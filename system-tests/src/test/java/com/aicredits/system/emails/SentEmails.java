package com.aicredits.system.emails;

import com.aicredits.json.Json;
import com.aicredits.local.ses.SesEmulator;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The emails the SES emulator kept, read back as {@code /_local/emails} serves them. */
public final class SentEmails {
    private SentEmails() {
    }

    /** Every email sent to {@code recipient}, in the order sent. */
    public static List<JsonNode> to(SesEmulator ses, String recipient) {
        List<JsonNode> result = new ArrayList<>();
        try {
            for (JsonNode email : Json.MAPPER.readTree(ses.emailsJson()).get("emails")) {
                if (email.at("/destination/to").toString().contains(recipient)) {
                    result.add(email);
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return result;
    }
}
