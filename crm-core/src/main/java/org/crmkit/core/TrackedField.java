package org.crmkit.core;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.money.Amounts;

/**
 * A field of an opportunity whose every change is kept as a {@link FieldChange}, and how its
 * values are written in a change: as text, so every store keeps a change in the same columns
 * whatever the field, and a value reads back exactly.
 *
 * <table>
 *   <caption>The text of a value, by field</caption>
 *   <tr><th>Field</th><th>Value type</th><th>Text</th></tr>
 *   <tr><td>{@link #AMOUNT}, {@link #BUDGET}</td><td>{@link MonetaryAmount}</td>
 *       <td>currency code, a space, the plain decimal at the currency's minor unit:
 *       {@code EUR 1250.00}, {@code JPY 500}; the currency is in the
 *       value because a deal's currency can change too</td></tr>
 *   <tr><td>{@link #CURRENCY}</td><td>{@link CurrencyUnit}</td><td>the ISO code</td></tr>
 *   <tr><td>{@link #EXPECTED_CLOSE_DATE}</td><td>{@link LocalDate}</td><td>ISO date</td></tr>
 *   <tr><td>{@link #PROBABILITY}</td><td>{@link Integer}</td><td>0 to 100</td></tr>
 *   <tr><td>{@link #FORECAST_CATEGORY}</td><td>{@link ForecastCategory}</td><td>its name</td></tr>
 *   <tr><td>{@link #OWNER}</td><td>{@link ManagerId}</td><td>the id</td></tr>
 *   <tr><td>{@link #STAGE}</td><td>{@link String}</td><td>the stage code</td></tr>
 * </table>
 * A missing value (no amount yet, no category set by hand) is {@code null}, never a text.
 */
public enum TrackedField {
    /** The amount the deal is expected to bring. */
    AMOUNT,
    /** The client's budget. */
    BUDGET,
    /** The deal's currency; amount and budget change with it, at the same instant. */
    CURRENCY,
    /** The expected close date: a change of it is a push (later) or a pull (earlier). */
    EXPECTED_CLOSE_DATE,
    /** The probability in percent, set by hand or by the stage's default on a stage change. */
    PROBABILITY,
    /** The forecast category set by hand (null: derived from the thresholds). */
    FORECAST_CATEGORY,
    /** The owning manager. */
    OWNER,
    /**
     * The stage. Stage changes are the {@link StageTransition}s, which every opportunity always
     * had; {@link Opportunity#fieldHistory()} shows them as changes of this field, and
     * {@link Opportunity#changes()} never holds one.
     */
    STAGE,
    /**
     * Not a field: the instant from which the opportunity's field history is complete. An
     * opportunity stored before field history existed gets this one event (at the upgrade),
     * because the values it had before are not known: as of an earlier instant it is
     * reconstructed with the values it had at that event (its stages, which the transitions
     * always kept, excepted), and the analyses that look earlier say so. Both values are null.
     */
    HISTORY_START;

    /**
     * The text of a value of this field.
     *
     * @param value the value (its type by the class table), or null
     * @return the text, or null for null
     * @throws IllegalArgumentException when the value is not of the field's type
     */
    public String encode(Object value) {
        if (value == null) {
            return null;
        }
        return switch (this) {
            case AMOUNT, BUDGET -> {
                MonetaryAmount a = (MonetaryAmount) value;
                // at the currency's minor unit, so one amount has one text (12000 and 12000.00 alike)
                java.math.BigDecimal d = Amounts.decimal(a);
                int digits = Amounts.fractionDigits(a.getCurrency());
                yield a.getCurrency().getCurrencyCode() + " " + (d.scale() < digits ? d.setScale(digits) : d).toPlainString();
            }
            case CURRENCY -> ((CurrencyUnit) value).getCurrencyCode();
            case EXPECTED_CLOSE_DATE -> ((LocalDate) value).toString();
            case PROBABILITY -> Integer.toString((Integer) value);
            case FORECAST_CATEGORY -> ((ForecastCategory) value).name();
            case OWNER -> ((ManagerId) value).value();
            case STAGE -> (String) value;
            case HISTORY_START -> throw new IllegalArgumentException("HISTORY_START has no value");
        };
    }

    /**
     * The value a text of this field stands for.
     *
     * @param text the text (as {@link #encode} writes it), or null
     * @return the value, or null for null
     * @throws ValidationException naming {@code field} when the text is not a value of this field
     */
    public Object decode(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return switch (this) {
                case AMOUNT, BUDGET -> {
                    int space = text.indexOf(' ');
                    if (space < 0) {
                        throw new IllegalArgumentException("no currency");
                    }
                    CurrencyUnit currency = Amounts.currency(text.substring(0, space));
                    yield Amounts.requireValid(Amounts.of(new java.math.BigDecimal(text.substring(space + 1)), currency),
                            currency, field);
                }
                case CURRENCY -> Amounts.currency(text);
                case EXPECTED_CLOSE_DATE -> StoreLimits.requireDate(LocalDate.parse(text), field);
                case PROBABILITY -> {
                    int p = Integer.parseInt(text);
                    ValidationException.require(p >= 0 && p <= 100, field, text, "a percentage from 0 to 100");
                    yield p;
                }
                case FORECAST_CATEGORY -> ForecastCategory.valueOf(text);
                case OWNER -> ManagerId.of(text);
                case STAGE -> StoreLimits.requireKey(text, field);
                case HISTORY_START -> throw new ValidationException(field, text, "no value: HISTORY_START has none");
            };
        } catch (ValidationException e) {
            throw e;
        } catch (IllegalArgumentException | DateTimeParseException | ClassCastException | ArithmeticException e) {
            throw new ValidationException(field, text, "a value of " + name() + " written as "
                    + example());
        }
    }

    /** An example of the text, for messages. */
    private String example() {
        return switch (this) {
            case AMOUNT, BUDGET -> "'EUR 1250.00'";
            case CURRENCY -> "an ISO currency code";
            case EXPECTED_CLOSE_DATE -> "an ISO date";
            case PROBABILITY -> "an integer 0 to 100";
            case FORECAST_CATEGORY -> "a ForecastCategory name";
            case OWNER -> "a manager id";
            case STAGE -> "a stage code";
            case HISTORY_START -> "nothing";
        };
    }

    /**
     * The value of this field on an opportunity.
     *
     * @param opp the opportunity
     * @return the current value (its type by the class table), or null when not set
     */
    public Object valueOn(Opportunity opp) {
        Objects.requireNonNull(opp, "opportunity");
        return switch (this) {
            case AMOUNT -> opp.amount().orElse(null);
            case BUDGET -> opp.budget().orElse(null);
            case CURRENCY -> opp.currency();
            case EXPECTED_CLOSE_DATE -> opp.expectedCloseDate();
            case PROBABILITY -> opp.probability();
            case FORECAST_CATEGORY -> opp.forecastCategory().orElse(null);
            case OWNER -> opp.owner();
            case STAGE -> opp.stage();
            case HISTORY_START -> null;
        };
    }
}
