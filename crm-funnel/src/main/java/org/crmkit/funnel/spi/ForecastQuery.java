package org.crmkit.funnel.spi;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.YearMonth;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.money.CurrencyUnit;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.ManagerId;
import org.crmkit.core.ProcessId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.Period;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * What a {@link ForecastSource} is asked: the opportunities of some owners (or of every owner),
 * grouped into {@link ForecastCell}s as of a date. The state read is the opportunity's current
 * one (a forecast is made of the book as it is; the as-of date decides only which open deals are
 * overdue and where they count).
 *
 * <h2>Definitions</h2>
 * <ul>
 *   <li>Lost opportunities count nowhere.</li>
 *   <li>A won opportunity counts with its actual revenue in the month of its closing transition
 *       ({@code Opportunity.closedAt()}) in {@code zone}, the rule every funnel and forecast
 *       follows; its cell carries its recorded close date when its currency is not
 *       {@code reportingCurrency} (it converts at that day's rate).</li>
 *   <li>An open opportunity is overdue when its expected close date is before {@code asOf}; it
 *       counts in the month of {@code asOf} when overdue and {@code overdueToCurrentMonth}, else in
 *       the month of its expected close date. Its value is its amount, else its budget, else 0
 *       ({@link ForecastCell.Basis}).</li>
 *   <li>With a {@code window}, only opportunities whose month falls in it count.</li>
 * </ul>
 * {@link ForecastReference} implements these definitions on {@code Opportunity} objects; every
 * source is tested against it.
 *
 * @param owners the owners whose opportunities count, or null for every owner
 * @param asOf the as-of date
 * @param overdueToCurrentMonth whether overdue open opportunities count in the as-of month
 * @param reportingCurrency the currency the forecast reports in (its cells need no rate day)
 * @param window when not null, whole months: only opportunities counting in it are asked for
 * @param zone the calendar's zone, which turns a closing instant into its month
 */
public record ForecastQuery(Set<ManagerId> owners, LocalDate asOf, boolean overdueToCurrentMonth,
        CurrencyUnit reportingCurrency, Period window, ZoneId zone) {
    /**
     * Validates the query.
     *
     * @throws ValidationException when a value is missing or the window is not whole months
     */
    public ForecastQuery {
        owners = owners == null ? null : Set.copyOf(owners);
        ValidationException.require(owners == null || !owners.isEmpty(), "forecastQuery.owners", owners,
                "at least one owner, or null for every owner");
        ValidationException.requireNonNull(asOf, "forecastQuery.asOf");
        ValidationException.requireNonNull(reportingCurrency, "forecastQuery.reportingCurrency");
        ValidationException.requireNonNull(zone, "forecastQuery.zone");
        ValidationException.require(window == null || (window.start().getDayOfMonth() == 1
                && window.end().getDayOfMonth() == 1), "forecastQuery.window", window, "whole months");
    }

    /**
     * The query of every owner, every month, overdue deals in the as-of month.
     *
     * @param asOf the as-of date
     * @param reportingCurrency the reporting currency
     * @param zone the calendar's zone
     * @return the query
     */
    public static ForecastQuery of(LocalDate asOf, CurrencyUnit reportingCurrency, ZoneId zone) {
        return new ForecastQuery(null, asOf, true, reportingCurrency, null, zone);
    }

    /**
     * The same query for other owners.
     *
     * @param value the owners, or null for every owner
     * @return the query
     */
    public ForecastQuery withOwners(Set<ManagerId> value) {
        return new ForecastQuery(value, asOf, overdueToCurrentMonth, reportingCurrency, window, zone);
    }

    /**
     * The same query over another window.
     *
     * @param value whole months, or null for every month
     * @return the query
     */
    public ForecastQuery withWindow(Period value) {
        return new ForecastQuery(owners, asOf, overdueToCurrentMonth, reportingCurrency, value, zone);
    }

    /**
     * Whether an owner's opportunities count.
     *
     * @param owner the owner
     * @return true when every owner counts or the owner is one of them
     */
    public boolean includes(ManagerId owner) {
        return owners == null || owners.contains(owner);
    }

    /**
     * Whether a month falls in the window.
     *
     * @param month the month
     * @return true without a window or when the month is in it
     */
    public boolean inWindow(YearMonth month) {
        return window == null || (!month.atDay(1).isBefore(window.start()) && month.atDay(1).isBefore(window.end()));
    }

    /**
     * The cell of an opportunity by these definitions, and its value ({@link ForecastReference}'s
     * single point of truth, also used by sources that hold opportunities).
     *
     * @param o the opportunity
     * @return the cell, empty when it counts nowhere (lost, another owner, outside the window)
     */
    public Optional<ForecastCell> cellOf(Opportunity o) {
        Objects.requireNonNull(o, "opportunity");
        return cellOf(o.owner(), o.status(), o.currency(), o.processId(), o.stage(), o.probability(),
                o.forecastCategory().orElse(null), o.amount().isPresent(), o.budget().isPresent(),
                o.expectedCloseDate(), o.closeInfo().map(org.crmkit.core.CloseInfo::closeDate).orElse(null),
                o.closedAt().orElse(null));
    }

    /**
     * The cell of an opportunity given as its columns (how a store or the in-memory columns
     * apply the same definitions without building the opportunity).
     *
     * @param owner the owner
     * @param status the status
     * @param currency the currency
     * @param process the process
     * @param stage the current stage code
     * @param probability the own probability in percent
     * @param handCategory the category set by hand, or null
     * @param hasAmount whether the amount is known
     * @param hasBudget whether the budget is known
     * @param expectedClose the expected close date
     * @param closeDate the recorded close date of a closed opportunity, else null
     * @param closedAt the instant of a closed opportunity's closing transition, else null
     * @return the cell, empty when it counts nowhere (lost, another owner, outside the window)
     */
    public Optional<ForecastCell> cellOf(ManagerId owner, OpportunityStatus status, CurrencyUnit currency,
            ProcessId process, String stage, int probability, ForecastCategory handCategory, boolean hasAmount,
            boolean hasBudget, LocalDate expectedClose, LocalDate closeDate, Instant closedAt) {
        if (!includes(owner) || status == OpportunityStatus.LOST) {
            return Optional.empty();
        }
        ForecastCell cell;
        if (status == OpportunityStatus.WON) {
            cell = ForecastCell.won(YearMonth.from(LocalDate.ofInstant(closedAt, zone)), currency,
                    currency.equals(reportingCurrency) ? null : closeDate);
        } else {
            boolean overdue = expectedClose.isBefore(asOf);
            YearMonth month = YearMonth.from(overdue && overdueToCurrentMonth ? asOf : expectedClose);
            ForecastCell.Basis basis = hasAmount ? ForecastCell.Basis.AMOUNT
                    : hasBudget ? ForecastCell.Basis.BUDGET : ForecastCell.Basis.NONE;
            cell = ForecastCell.open(month, overdue, currency, process, stage, probability, handCategory, basis);
        }
        return inWindow(cell.month()) ? Optional.of(cell) : Optional.empty();
    }

    /**
     * The value of an opportunity in its cell, in minor units of its currency: the actual revenue
     * of a won one, the amount (else budget, else 0) of an open one.
     *
     * @param o the opportunity
     * @param cell its cell
     * @return the value
     */
    public static long valueOf(Opportunity o, ForecastCell cell) {
        return switch (cell.basis()) {
            case REVENUE -> Amounts.toMinorUnits(o.closeInfo().orElseThrow().actualRevenue());
            case AMOUNT -> Amounts.toMinorUnits(o.amount().orElseThrow());
            case BUDGET -> Amounts.toMinorUnits(o.budget().orElseThrow());
            case NONE -> 0;
        };
    }
}
