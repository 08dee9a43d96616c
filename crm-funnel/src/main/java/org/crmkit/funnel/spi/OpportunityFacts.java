package org.crmkit.funnel.spi;

import java.util.List;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.ValidationException;

/**
 * The facts of one opportunity for one {@link CellQuery}: its cell key and the values its
 * cell sums. This is the ungrouped form of the cells (one row per opportunity, with its id),
 * used for drill-down and by stores that do not push the grouping down.
 *
 * @param id the opportunity id
 * @param key the cell key
 * @param amountMinor the amount in minor units of the key's currency, 0 when unknown
 * @param probability the effective win probability in percent at the evaluation instant
 * @param revenueMinor the actual revenue in minor units when won at the evaluation instant, else 0
 * @param cycleSeconds seconds from creation to the transition that closed it, when closed
 *     at the evaluation instant, else {@code -1}
 * @param stageTimes the time spent in each open stage with at least one completed visit
 */
public record OpportunityFacts(OpportunityId id, CellKey key, long amountMinor, int probability, long revenueMinor,
        long cycleSeconds, List<StageTime> stageTimes) {
    /**
     * Validates the facts and copies the list.
     *
     * @throws ValidationException when a value is missing or out of range
     */
    public OpportunityFacts {
        ValidationException.requireNonNull(id, "facts.id");
        ValidationException.requireNonNull(key, "facts.key");
        if (!(amountMinor >= 0)) {
            throw new ValidationException("facts.amountMinor", amountMinor, "an amount >= 0");
        }
        if (!(probability >= 0 && probability <= 100)) {
            throw new ValidationException("facts.probability", probability, "between 0 and 100");
        }
        if (!(revenueMinor >= 0)) {
            throw new ValidationException("facts.revenueMinor", revenueMinor, "a revenue >= 0");
        }
        if (!(cycleSeconds >= -1)) {
            throw new ValidationException("facts.cycleSeconds", cycleSeconds, "seconds >= 0, or -1");
        }
        if (!(cycleSeconds >= 0 == key.status().isClosed())) {
            throw new ValidationException("facts.cycleSeconds", cycleSeconds,
                    "a cycle exactly when closed (status " + key.status() + ")");
        }
        stageTimes = List.copyOf(ValidationException.requireNonNull(stageTimes, "facts.stageTimes"));
    }

    /**
     * The measures of a cell holding only this opportunity.
     *
     * @return the measures
     */
    public CellMeasures measures() {
        return new CellMeasures(1, amountMinor, Math.multiplyExact(amountMinor, probability), revenueMinor,
                cycleSeconds < 0 ? DurationSummary.empty() : DurationSummary.ofSeconds(cycleSeconds));
    }
}
