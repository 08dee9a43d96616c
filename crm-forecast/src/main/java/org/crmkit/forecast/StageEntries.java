package org.crmkit.forecast;

import org.crmkit.core.ValidationException;

/**
 * The work done at one stage in a period: how many deals newly reached it (entered it for the
 * first time, as the funnel's ACTIVITY mode with STRICT counting counts them), and for how
 * many of the deals worked in the period it was the furthest stage newly reached.
 *
 * @param code the stage code
 * @param name the stage name
 * @param entries deals that entered the stage for the first time in the period
 * @param furthest deals whose furthest newly entered stage in the period was this one
 */
public record StageEntries(String code, String name, long entries, long furthest) {
    /**
     * Validates.
     *
     * @throws ValidationException when a value is missing or negative
     */
    public StageEntries {
        ValidationException.requireText(code, "code");
        ValidationException.requireText(name, "name");
        ValidationException.require(entries >= 0 && furthest >= 0 && furthest <= entries, "entries", entries,
                "counts >= 0, furthest <= entries");
    }
}
