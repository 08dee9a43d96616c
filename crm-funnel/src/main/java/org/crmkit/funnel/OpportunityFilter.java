package org.crmkit.funnel;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.money.CurrencyUnit;
import org.crmkit.core.ClientId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.ValidationException;

/**
 * An optional filter on the opportunities of a funnel query. The structured parts (clients,
 * currencies) can be pushed down to a store's query; a custom predicate can only be applied
 * to loaded opportunities, so a store that meets one evaluates it in Java.
 *
 * @param clients the clients to keep; empty keeps every client
 * @param currencies the opportunity currencies to keep; empty keeps every currency
 * @param predicate a custom predicate, or null for none
 */
public record OpportunityFilter(Set<ClientId> clients, Set<CurrencyUnit> currencies, Predicate<Opportunity> predicate) {
    private static final OpportunityFilter ANY = new OpportunityFilter(Set.of(), Set.of(), null);

    /**
     * Validates the filter and copies the sets.
     *
     * @throws ValidationException when a set is missing
     */
    public OpportunityFilter {
        clients = Set.copyOf(ValidationException.requireNonNull(clients, "filter.clients"));
        currencies = Set.copyOf(ValidationException.requireNonNull(currencies, "filter.currencies"));
    }

    /**
     * The filter that keeps every opportunity.
     *
     * @return the empty filter
     */
    public static OpportunityFilter any() {
        return ANY;
    }

    /**
     * A filter of clients.
     *
     * @param clients the clients to keep
     * @return the filter
     */
    public static OpportunityFilter clients(Set<ClientId> clients) {
        return new OpportunityFilter(clients, Set.of(), null);
    }

    /**
     * A filter of currencies.
     *
     * @param currencies the currencies to keep
     * @return the filter
     */
    public static OpportunityFilter currencies(Set<CurrencyUnit> currencies) {
        return new OpportunityFilter(Set.of(), currencies, null);
    }

    /**
     * A filter by a custom predicate.
     *
     * @param predicate the predicate
     * @return the filter
     */
    public static OpportunityFilter matching(Predicate<Opportunity> predicate) {
        return new OpportunityFilter(Set.of(), Set.of(), Objects.requireNonNull(predicate, "predicate"));
    }

    /**
     * The custom predicate.
     *
     * @return the predicate, empty when there is none
     */
    public Optional<Predicate<Opportunity>> customPredicate() {
        return Optional.ofNullable(predicate);
    }

    /**
     * Whether only structured parts are set (a store can push the whole filter down).
     *
     * @return true when there is no custom predicate
     */
    public boolean isStructured() {
        return predicate == null;
    }

    /**
     * Whether the filter keeps every opportunity.
     *
     * @return true when nothing is filtered
     */
    public boolean isAny() {
        return clients.isEmpty() && currencies.isEmpty() && predicate == null;
    }

    /**
     * Whether an opportunity passes the filter.
     *
     * @param opp the opportunity
     * @return true when it is kept
     */
    public boolean test(Opportunity opp) {
        return (clients.isEmpty() || opp.client().map(c -> clients.contains(c.id())).orElse(false))
                && (currencies.isEmpty() || currencies.contains(opp.currency()))
                && (predicate == null || predicate.test(opp));
    }
}
