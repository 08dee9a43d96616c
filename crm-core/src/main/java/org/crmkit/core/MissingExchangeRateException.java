package org.crmkit.core;

import java.time.LocalDate;
import javax.money.CurrencyUnit;

/** The caller's exchange-rate provider has no rate for a currency pair on a date. */
public class MissingExchangeRateException extends CrmException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the failure.
     *
     * @param from the base currency
     * @param to the term currency
     * @param date the date the rate was needed for
     * @param cause the provider's own failure, may be null
     */
    public MissingExchangeRateException(CurrencyUnit from, CurrencyUnit to, LocalDate date, Throwable cause) {
        super("no exchange rate " + from.getCurrencyCode() + "->" + to.getCurrencyCode() + " on " + date, cause);
    }
}
