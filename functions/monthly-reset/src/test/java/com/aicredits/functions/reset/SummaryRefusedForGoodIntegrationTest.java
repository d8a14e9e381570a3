package com.aicredits.functions.reset;

import static org.assertj.core.api.Assertions.assertThat;
import com.aicredits.app.Services;
import com.aicredits.app.Services.Notifications;
import com.aicredits.domain.Period;
import com.aicredits.domain.WorkspaceSpec;
import com.aicredits.mail.Email;
import com.aicredits.port.EventPublisher;
import com.aicredits.port.MailDeliveryException;
import com.aicredits.service.MonthlyReset;
import com.aicredits.service.RecordExecution;
import com.aicredits.service.ResetCursor;
import com.aicredits.service.ResetProgress;
import com.aicredits.testkit.CreditsTable;
import com.aicredits.testkit.LogLines;
import com.aicredits.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 30, item 2: a summary SES refuses for good (an address it will never take) is parked, so the reset completes
 * instead of failing every round and every month, and the workspace's other recipients still get it.
 */
class SummaryRefusedForGoodIntegrationTest {
    private static final Instant RESET_AT = Instant.parse("2026-12-01T00:00:03Z");

    private final CreditsTable table = new CreditsTable("reset-parking");
    private final TestClock clock = new TestClock(Instant.parse("2026-11-20T10:00:00Z"));
    private final List<Email> sent = new CopyOnWriteArrayList<>();

    @Test
    void aRecipientSesRefusesForGoodIsParkedTheOthersGetTheSummaryAndTheResetCompletes() {
        Services services = table.services(clock);
        workspace(services, "ws-mixed", List.of("lead@acme.example", "refused@acme.example"));
        workspace(services, "ws-refused", List.of("refused@acme.example"));
        workspace(services, "ws-fine", List.of("ops@acme.example"));
        clock.set(RESET_AT);
        MonthlyReset reset = services.withNotifications(new Notifications(email -> {
            if (email.to().contains("refused@acme.example")) {
                throw MailDeliveryException.permanent("SES refused it for good: MessageRejected", null);
            }
            sent.add(email);
            return "message-" + sent.size();
        }, EventPublisher.LOG_ONLY, "https://credits.example.com", null)).monthlyReset(MonthlyReset.Settings.defaults(),
                clock::advance);

        ResetProgress progress;
        try (LogLines logs = LogLines.capture()) {
            progress = reset.run(ResetCursor.start(Period.parse("2026-12")), RESET_AT.plus(Duration.ofMinutes(5)), "invocation-1");
            assertThat(logs.metric("EmailsParked")).hasSize(2)
                    .allSatisfy(line -> assertThat(line.get("email").asText()).isEqualTo("summary"));
        }

        assertThat(progress.status()).isEqualTo(ResetProgress.Status.DONE);
        assertThat(progress.counts()).containsEntry(ResetProgress.Outcome.SENT, 2L).containsEntry(ResetProgress.Outcome.PARKED, 1L)
                .doesNotContainKey(ResetProgress.Outcome.FAILED);
        assertThat(sent).extracting(Email::to).containsExactlyInAnyOrder(List.of("lead@acme.example"), List.of("ops@acme.example"));

        // Run again (a redrive): nothing more is sent, nothing is pending.
        ResetProgress again = reset.run(ResetCursor.start(Period.parse("2026-12")), RESET_AT.plus(Duration.ofMinutes(10)), "invocation-2");
        assertThat(again.status()).isEqualTo(ResetProgress.Status.DONE);
        assertThat(sent).hasSize(2);
    }

    private void workspace(Services services, String id, List<String> recipients) {
        services.workspaces().put(id, new WorkspaceSpec(null, "org-acme", "Acme " + id, "PRO", null, true, null, null,
                recipients, null, null));
        services.debits().record(id, new RecordExecution(id + "-run-1", "case.investigation", null));
    }
}
