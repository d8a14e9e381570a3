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

    void markEmailed(String workspaceId, Period period, Alert alert, String messageId);

    /** Counts a send whose outcome is unknown (SES may have accepted it): the email may reach its recipients twice. */
    void markEmailUncertain(String workspaceId, Period period, Alert alert);

    void markPublished(String workspaceId, Period period, Alert alert);
}
