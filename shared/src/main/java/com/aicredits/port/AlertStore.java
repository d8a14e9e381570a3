package com.aicredits.port;

import com.aicredits.domain.Alert;
import com.aicredits.domain.AlertMarker;
import com.aicredits.domain.Period;
import com.aicredits.domain.Workspace;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Alert markers, one item per workspace, period and alert, kept apart from the balance item. */
public interface AlertStore {
    Optional<Workspace> workspace(String workspaceId);

    List<AlertMarker> markers(String workspaceId, Period period);

    /** Claims {@code alert} for the period; false if it was claimed before (it fires once). */
    boolean claim(String workspaceId, Period period, Alert alert, Instant firedAt);

    /**
     * The alert's email is done for every recipient at {@code at} ({@code messageId}: the last send's, or why none was
     * sent).
     */
    void markEmailed(String workspaceId, Period period, Alert alert, String messageId, Instant at);

    /** The alert's email went to {@code recipient} (each recipient gets a send of their own). */
    void markRecipientEmailed(String workspaceId, Period period, Alert alert, String recipient, String messageId);

    /**
     * The provider refuses the alert's email to {@code recipient} for good: it is parked (done, not sent), with why and
     * when, so that it neither blocks the stream nor is tried again.
     */
    void markRecipientParked(String workspaceId, Period period, Alert alert, String recipient, String reason, Instant at);

    /**
     * Counts a send whose outcome is unknown (SES may have accepted it) at {@code at}: the email may reach its
     * recipient twice; it is not sent again before a wait has passed.
     */
    void markEmailUncertain(String workspaceId, Period period, Alert alert, Instant at);

    /** The alert's event went to the bus at {@code at}. */
    void markPublished(String workspaceId, Period period, Alert alert, Instant at);
}
