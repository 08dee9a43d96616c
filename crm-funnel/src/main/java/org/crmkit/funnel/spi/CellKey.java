package org.crmkit.funnel.spi;

import javax.money.CurrencyUnit;
import org.crmkit.core.ManagerId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.ValidationException;

/**
 * The grouping key of a funnel cell: every opportunity with equal facts on these columns
 * falls into the same cell. A store computes it per opportunity row (see
 * {@link FunnelCellSource} for the exact definition of each column) and groups by it.
 *
 * <p>Stage indexes are positions in the process ({@code SalesProcess.indexOf}): open
 * stages {@code 0 .. n-1} in funnel order, {@code n} the won stage, {@code n+1} the lost stage.
 * Masks hold bit {@code i} for open stage {@code i}.
 *
 * @param owner the opportunity owner
 * @param status the status at the evaluation instant
 * @param stage the stage index at the evaluation instant
 * @param enteredMask the open stages entered before the evaluation instant
 * @param priorStage the stage index just before the activity window opened, or {@code -1}
 *     when the opportunity did not exist then or the query has no activity window
 * @param priorEnteredMask the open stages entered before the activity window opened
 *     ({@code 0} without an activity window)
 * @param currency the opportunity currency
 * @param reason the win or loss reason when closed at the evaluation instant, else null
 * @param competitor the winning competitor when lost at the evaluation instant, else null
 * @param bucket the index of the query's period bucket, {@code 0} without bucketing
 */
public record CellKey(ManagerId owner, OpportunityStatus status, int stage, long enteredMask, int priorStage,
        long priorEnteredMask, CurrencyUnit currency, String reason, String competitor, int bucket) {
    /**
     * Validates the key.
     *
     * @throws ValidationException when a value is missing or out of range
     */
    public CellKey {
        ValidationException.requireNonNull(owner, "cell.owner");
        ValidationException.requireNonNull(status, "cell.status");
        ValidationException.requireNonNull(currency, "cell.currency");
        if (!(stage >= 0)) {
            throw new ValidationException("cell.stage", stage, "a stage index >= 0");
        }
        if (!(enteredMask >= 0)) {
            throw new ValidationException("cell.enteredMask", enteredMask, "a mask of at most 62 stages");
        }
        if (!(priorStage >= -1)) {
            throw new ValidationException("cell.priorStage", priorStage, "a stage index or -1");
        }
        if (!(priorEnteredMask >= 0 && (priorEnteredMask & ~enteredMask) == 0)) {
            throw new ValidationException("cell.priorEnteredMask", priorEnteredMask,
                    "a subset of the entered mask " + enteredMask);
        }
        if (!(bucket >= 0)) {
            throw new ValidationException("cell.bucket", bucket, "a bucket index >= 0");
        }
    }

    /**
     * The furthest open stage entered before the evaluation instant (the highest bit of
     * {@link #enteredMask()}).
     *
     * @return the stage index, {@code -1} when no open stage was entered
     */
    public int furthestStage() {
        return 63 - Long.numberOfLeadingZeros(enteredMask);
    }

    /**
     * The furthest open stage entered before the activity window opened.
     *
     * @return the stage index, {@code -1} when none
     */
    public int priorFurthestStage() {
        return 63 - Long.numberOfLeadingZeros(priorEnteredMask);
    }
}
