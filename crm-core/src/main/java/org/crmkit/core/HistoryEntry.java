package org.crmkit.core;

import java.time.Instant;

/**
 * An entry of an opportunity's timeline. Entries are kept regardless of status: closing an
 * opportunity never drops its history.
 *
 * @param id the entry id, unique within the opportunity
 * @param kind what kind of entry
 * @param at when it happened
 * @param author the manager who recorded it
 * @param subject a one-line subject
 * @param body the text (may be empty)
 */
public record HistoryEntry(String id, HistoryKind kind, Instant at, ManagerId author, String subject, String body) {
    /**
     * Validates the entry; a null body becomes empty.
     *
     * @throws ValidationException when a required value is missing
     */
    public HistoryEntry {
        StoreLimits.requireKey(id, "history.id");
        ValidationException.requireNonNull(kind, "history.kind");
        StoreLimits.requireInstant(ValidationException.requireNonNull(at, "history.at"), "history.at");
        ValidationException.requireNonNull(author, "history.author");
        StoreLimits.requireNonBlank(subject, "history.subject");
        body = body == null ? "" : StoreLimits.requireText(body, "history.body");
    }
}
