package org.crmkit.forecast;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityId;

/**
 * One deal of a {@link PipelineWaterfall}: its primary step, every step that applies, and what
 * it was at the opening and the closing instant. A side where the deal was not in the pipeline
 * has a value of 0; its other values are what the deal was then, empty when it did not exist.
 *
 * @param id the deal
 * @param step the primary step (by {@link PipelineStep}'s precedence)
 * @param kinds every step that applies, the primary one included
 * @param openingValue its value in the opening pipeline (reporting currency, exact), 0 when not in it
 * @param closingValue its value in the closing pipeline, 0 when not in it
 * @param openingOwner its owner at the opening, empty when it did not exist
 * @param closingOwner its owner at the closing
 * @param openingCloseDate its expected close date at the opening, empty when it did not exist
 * @param closingCloseDate its expected close date at the closing
 * @param openingStage its stage at the opening, empty when it did not exist
 * @param closingStage its stage at the closing
 * @param openingCategory its forecast category at the opening, empty when it was not open or
 *     did not exist
 * @param closingCategory its forecast category at the closing, empty when not open
 */
public record PipelineChange(OpportunityId id, PipelineStep step, Set<PipelineStep> kinds, BigDecimal openingValue,
        BigDecimal closingValue, Optional<ManagerId> openingOwner, ManagerId closingOwner,
        Optional<LocalDate> openingCloseDate, LocalDate closingCloseDate, Optional<String> openingStage,
        String closingStage, Optional<ForecastCategory> openingCategory, Optional<ForecastCategory> closingCategory) {

    /** Copies the set of kinds. */
    public PipelineChange {
        kinds = Set.copyOf(kinds);
    }

    /**
     * What the deal moved the pipeline total by: closing value − opening value.
     *
     * @return the difference, exact
     */
    public BigDecimal delta() {
        return closingValue.subtract(openingValue);
    }
}
