package org.crmkit.funnel.spi;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Comparator;
import javax.money.CurrencyUnit;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.ProcessId;
import org.crmkit.core.ValidationException;

/**
 * The key of one group of a {@link ForecastStats}: the opportunities of one owner that a forecast
 * treats alike. It holds what a source can read from an opportunity's columns, not what a
 * forecast decides from them: the probability model, the category thresholds and the value
 * policy are applied by the forecast engine to each cell, so one aggregate serves every model
 * (and a maintained aggregate stays valid when the model changes).
 *
 * <p>An open opportunity's cell is its effective month ({@link ForecastQuery} moves an overdue
 * one to the as-of month by default), whether it is overdue, its currency, process, current
 * stage, own probability, the category set by hand (null when none) and what its value is
 * ({@link Basis#AMOUNT}, {@link Basis#BUDGET} when the amount is unknown, {@link Basis#NONE}
 * when both are). A won opportunity's cell is the month it closed in, its currency, its recorded
 * close date when its currency is not the query's reporting currency (it converts at the
 * rate of that day) and {@link Basis#REVENUE}. The month is that of the closing transition in the
 * calendar's zone, the close date the recorded one: near midnight they may lie in different months. Lost opportunities have no cell.
 *
 * @param status {@link OpportunityStatus#OPEN} or {@link OpportunityStatus#WON}
 * @param month the month the opportunity counts in
 * @param overdue whether an open opportunity's expected close date is before the as-of date
 * @param currency the opportunity currency
 * @param rateDay a won opportunity's close date when it converts at that day's rate, else null
 * @param process an open opportunity's process, null when won
 * @param stage an open opportunity's current stage code, null when won
 * @param probability an open opportunity's own probability in percent, 0 when won
 * @param modelBasisPoints the probability in basis points a per-opportunity model decided while
 *     grouping (only a source over opportunity objects can, for a model that needs the whole
 *     opportunity), or -1: the forecast engine decides it from process, stage and probability
 * @param handCategory an open opportunity's category set by hand, null when none or won
 * @param basis what the value summed in the cell is
 */
public record ForecastCell(OpportunityStatus status, YearMonth month, boolean overdue, CurrencyUnit currency,
        LocalDate rateDay, ProcessId process, String stage, int probability, int modelBasisPoints,
        ForecastCategory handCategory, Basis basis) {
    /** What an opportunity's value in a cell is. */
    public enum Basis {
        /** An open opportunity's amount. */
        AMOUNT,
        /** An open opportunity's budget, its amount being unknown. */
        BUDGET,
        /** An open opportunity with neither amount nor budget: value 0. */
        NONE,
        /** A won opportunity's actual revenue. */
        REVENUE
    }

    /** An order of cells (for stable output): month, status, then the other fields. */
    public static final Comparator<ForecastCell> ORDER = Comparator.comparing(ForecastCell::month)
            .thenComparing(ForecastCell::status)
            .thenComparing(c -> c.currency().getCurrencyCode())
            .thenComparing(ForecastCell::overdue)
            .thenComparing(ForecastCell::rateDay, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(c -> c.process() == null ? "" : c.process().value())
            .thenComparing(c -> c.stage() == null ? "" : c.stage())
            .thenComparingInt(ForecastCell::probability)
            .thenComparingInt(ForecastCell::modelBasisPoints)
            .thenComparing(ForecastCell::handCategory, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(ForecastCell::basis);

    /**
     * Validates the key.
     *
     * @throws ValidationException when a field does not fit the status
     */
    public ForecastCell {
        ValidationException.require(status == OpportunityStatus.OPEN || status == OpportunityStatus.WON,
                "forecastCell.status", status, "OPEN or WON");
        ValidationException.requireNonNull(month, "forecastCell.month");
        ValidationException.requireNonNull(currency, "forecastCell.currency");
        ValidationException.requireNonNull(basis, "forecastCell.basis");
        if (status == OpportunityStatus.WON) {
            ValidationException.require(!overdue && process == null && stage == null && probability == 0
                    && modelBasisPoints == -1 && handCategory == null && basis == Basis.REVENUE, "forecastCell", status,
                    "a won cell with only month, currency, rate day and basis REVENUE");
        } else {
            ValidationException.require(rateDay == null && process != null && stage != null
                    && basis != Basis.REVENUE, "forecastCell", status,
                    "an open cell with process, stage, no rate day and a basis other than REVENUE");
            ValidationException.require(probability >= 0 && probability <= 100, "forecastCell.probability",
                    probability, "percent 0..100");
            ValidationException.require(modelBasisPoints >= -1 && modelBasisPoints <= 10_000,
                    "forecastCell.modelBasisPoints", modelBasisPoints, "basis points 0..10000, or -1");
        }
    }

    /**
     * The cell of open opportunities.
     *
     * @param month the effective month
     * @param overdue whether overdue
     * @param currency the currency
     * @param process the process
     * @param stage the current stage code
     * @param probability the own probability in percent
     * @param handCategory the hand-set category or null
     * @param basis AMOUNT, BUDGET or NONE
     * @return the cell
     */
    public static ForecastCell open(YearMonth month, boolean overdue, CurrencyUnit currency, ProcessId process,
            String stage, int probability, ForecastCategory handCategory, Basis basis) {
        return new ForecastCell(OpportunityStatus.OPEN, month, overdue, currency, null, process, stage, probability,
                -1, handCategory, basis);
    }

    /**
     * The cell of won opportunities.
     *
     * @param month the month of the close date
     * @param currency the currency
     * @param rateDay the close date when the currency is not the reporting one, else null
     * @return the cell
     */
    public static ForecastCell won(YearMonth month, CurrencyUnit currency, LocalDate rateDay) {
        return new ForecastCell(OpportunityStatus.WON, month, false, currency, rateDay, null, null, 0, -1, null,
                Basis.REVENUE);
    }

    /**
     * The same open cell with the probability a per-opportunity model decided.
     *
     * @param basisPoints the probability in basis points, 0..10000
     * @return the cell
     */
    public ForecastCell withModelBasisPoints(int basisPoints) {
        ValidationException.require(isOpen(), "forecastCell.status", status, "OPEN");
        return new ForecastCell(status, month, overdue, currency, rateDay, process, stage, probability, basisPoints,
                handCategory, basis);
    }

    /**
     * Whether this is a cell of open opportunities.
     *
     * @return true when open
     */
    public boolean isOpen() {
        return status == OpportunityStatus.OPEN;
    }
}
