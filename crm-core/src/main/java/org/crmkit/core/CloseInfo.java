package org.crmkit.core;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;
import javax.money.MonetaryAmount;

/**
 * What is recorded when an opportunity closes.
 *
 * @param closeDate the day it closed; null to take it from the opportunity's closing
 *     transition (an {@link Opportunity} always holds close data with its date). Reports place
 *     a close in a period by the closing transition ({@link Opportunity#closedAt()}) in their
 *     calendar's zone; this date is the recorded day, which must be that instant's day in some
 *     zone, and the rate date of a won deal's revenue
 * @param actualRevenue the revenue actually booked; required when won, may be null when lost
 * @param hoursSpent hours spent on the deal, may be null
 * @param reason the win or loss reason, may be null
 * @param winningCompetitor on loss, the competitor who won, may be null
 */
public record CloseInfo(LocalDate closeDate, MonetaryAmount actualRevenue, BigDecimal hoursSpent, String reason,
        String winningCompetitor) {
    /**
     * Validates the close data.
     *
     * @throws ValidationException when hours or the revenue are negative
     */
    public CloseInfo {
        // null: the opportunity takes the day of its closing transition
        StoreLimits.requireDate(closeDate, "close.closeDate");
        ValidationException.require(hoursSpent == null || hoursSpent.signum() >= 0, "close.hoursSpent", hoursSpent,
                "hours >= 0");
        if (hoursSpent != null) {
            StoreLimits.requireDecimal(hoursSpent, "close.hoursSpent");
        }
        StoreLimits.requireText(reason, "close.reason");
        StoreLimits.requireText(winningCompetitor, "close.winningCompetitor");
        ValidationException.require(actualRevenue == null || !actualRevenue.isNegative(), "close.actualRevenue",
                actualRevenue, "an amount >= 0");
    }

    /**
     * Close data of a won deal.
     *
     * @param closeDate the day it closed; null to take it from the opportunity's closing
 *     transition (an {@link Opportunity} always holds close data with its date)
     * @param actualRevenue the revenue booked
     * @param reason the win reason, may be null
     * @return the close data
     */
    public static CloseInfo won(LocalDate closeDate, MonetaryAmount actualRevenue, String reason) {
        return new CloseInfo(closeDate, ValidationException.requireNonNull(actualRevenue, "close.actualRevenue"),
                null, reason, null);
    }

    /**
     * Close data of a lost deal.
     *
     * @param closeDate the day it was lost, or null to take it from the closing transition
     * @param reason the loss reason, may be null
     * @param winningCompetitor the competitor who won, may be null
     * @return the close data
     */
    public static CloseInfo lost(LocalDate closeDate, String reason, String winningCompetitor) {
        return new CloseInfo(closeDate, null, null, reason, winningCompetitor);
    }

    /**
     * A copy with the hours spent.
     *
     * @param hours hours spent, not negative
     * @return the copy
     */
    public CloseInfo withHoursSpent(BigDecimal hours) {
        return new CloseInfo(closeDate, actualRevenue, hours, reason, winningCompetitor);
    }

    /**
     * A copy with another close date.
     *
     * @param date the day it closed
     * @return the copy
     */
    public CloseInfo withCloseDate(LocalDate date) {
        return new CloseInfo(date, actualRevenue, hoursSpent, reason, winningCompetitor);
    }

    /**
     * The revenue booked.
     *
     * @return the actual revenue, empty when not recorded
     */
    public Optional<MonetaryAmount> actualRevenueIfAny() {
        return Optional.ofNullable(actualRevenue);
    }

    /**
     * The win or loss reason.
     *
     * @return the reason, empty when not recorded
     */
    public Optional<String> reasonIfAny() {
        return Optional.ofNullable(reason);
    }

    /**
     * The competitor who won a lost deal.
     *
     * @return the winner, empty when not recorded
     */
    public Optional<String> winningCompetitorIfAny() {
        return Optional.ofNullable(winningCompetitor);
    }
}
