package org.crmkit.core;

/**
 * A competitor in the deal.
 *
 * @param name the competitor's name
 * @param strengths what it does better (free text, may be empty)
 * @param weaknesses where it is weaker (free text, may be empty)
 */
public record Competitor(String name, String strengths, String weaknesses) {
    /**
     * Validates the competitor; null texts become empty.
     *
     * @throws ValidationException when the name is blank
     */
    public Competitor {
        StoreLimits.requireNonBlank(name, "competitor.name");
        StoreLimits.requireText(strengths, "competitor.strengths");
        StoreLimits.requireText(weaknesses, "competitor.weaknesses");
        strengths = strengths == null ? "" : strengths;
        weaknesses = weaknesses == null ? "" : weaknesses;
    }
}
