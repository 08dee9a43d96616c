/**
 * JSON mapping of the whole crmkit model with Jackson 2: {@link org.crmkit.core.json.CrmJacksonModule}
 * to register on any {@code ObjectMapper}, and {@link org.crmkit.core.json.CrmJson}, a facade
 * with a preconfigured mapper that turns every bad input into a
 * {@link org.crmkit.core.ValidationException}.
 *
 * <p>The format: money is {@code {"amount":"1250.50","currency":"EUR"}} with the amount as
 * a decimal string at (at least) the currency's minor unit, never rounded; other decimals
 * (quantities, discounts, hours) are strings that keep their exact scale; instants and dates
 * are ISO-8601 strings; ids are plain strings; an org node is its key
 * ({@code "manager:m1"}, {@code "unit:u1"}); an empty {@code Optional} is {@code null}.
 * Reading is strict: an unknown property, a value of the wrong type or a value that breaks
 * a rule of the model is rejected, so a typo never drops data silently.
 */
package org.crmkit.core.json;
