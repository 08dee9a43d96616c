package org.crmkit.core;

/**
 * A lead (a client's need) that the opportunity closes.
 *
 * @param id the lead id in the host application
 * @param need what the client needs, e.g. "Leadership training for 40 team leads"
 */
public record Lead(String id, String need) {
    /**
     * Validates the lead.
     *
     * @throws ValidationException when a value is blank
     */
    public Lead {
        StoreLimits.requireKey(id, "lead.id");
        StoreLimits.requireNonBlank(need, "lead.need");
    }
}
