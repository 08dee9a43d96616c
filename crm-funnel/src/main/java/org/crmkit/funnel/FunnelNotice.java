package org.crmkit.funnel;

import java.util.List;
import java.util.Objects;

/**
 * Something a result's figures depend on that the caller did not ask for explicitly, or
 * opportunities the figures leave out: written on the result so no number is silently
 * different from what the caller meant. The engine adds them; {@link #message()} is meant to
 * be shown as is.
 *
 * @param kind what the notice is about
 * @param count how many opportunities it concerns (0 when it concerns none, e.g. a
 *     defaulted currency)
 * @param subjects what it names: owner ids, currency codes, a manager id; at most
 *     {@value #MAX_SUBJECTS}, sorted
 * @param message the notice in words, with the figures
 */
public record FunnelNotice(Kind kind, long count, List<String> subjects, String message) {
    /** The most subjects a notice lists. */
    public static final int MAX_SUBJECTS = 100;

    /**
     * Validates and copies the subjects.
     *
     * @throws NullPointerException when a value is missing
     */
    public FunnelNotice {
        Objects.requireNonNull(kind, "kind");
        subjects = List.copyOf(Objects.requireNonNull(subjects, "subjects"));
        Objects.requireNonNull(message, "message");
    }

    /** What a notice is about. */
    public enum Kind {
        /**
         * The query named no reporting currency: the engine's default, or the only currency of
         * the population, was taken (subject: the currency code).
         */
        REPORTING_CURRENCY_DEFAULTED,
        /**
         * Opportunities whose owner is in no unit of the org structure (not a manager of it, or
         * a manager without a unit), so no unit's figures hold them; on the results of a whole
         * org (a root unit) or of the whole book (subjects: the owners). In a whole-book result
         * they are counted, in a unit's result they are not.
         */
        OWNERS_OUTSIDE_ORG,
        /**
         * A manager node of the query is not in the org structure: its own opportunities are
         * reported (subject: the manager id).
         */
        MANAGER_NOT_IN_ORG,
        /**
         * "Now" came from the engine's clock and opportunities of the scope have stage changes
         * after it: they count as they stood then (set the query's as-of instant or the engine's
         * clock to count them).
         */
        CHANGES_AFTER_AS_OF,
        /**
         * The source holds no field history (the columns of a book as it is) and opportunities
         * of the scope had a tracked value (owner, amount, currency, close date, probability,
         * category) changed after the query's instant: they count with today's values, for
         * today's owner. Every store, and {@code OpportunityColumns.asOf(book, instant)}, count
         * them as they were.
         */
        FIELD_CHANGES_NOT_APPLIED,
        /**
         * Opportunities of the scope existed at the query's instant but their field history
         * starts after it (stored before the store kept field history): they count with their
         * owner, amount and other values at the start of their history, their values then being
         * unknown.
         */
        HISTORY_STARTS_AFTER_AS_OF,
        /**
         * The engine's viewer sees only part of the scope: the figures are those of the deals
         * it may see, and nothing of the others is counted or named (subject: the viewer's
         * node; count 0, since the hidden deals are not counted even here).
         */
        RESTRICTED_TO_VIEWER
    }
}
