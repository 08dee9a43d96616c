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
 * a rule of the model is rejected, so a typo never drops data silently. A missing property
 * reads as {@code null} (an empty list for lists, version 0), which the model then accepts
 * or rejects.
 *
 * <p>An opportunity also carries its {@code status}, derived from the stage, for readers of
 * the JSON; on reading it may be left out, and when present it must agree with the stage.
 * The set of completed steps is written sorted, so equal values give equal text. A dataset
 * carries {@code "formatVersion": 1}; reading one checks process and opportunity ids for
 * uniqueness and every opportunity against its process from the same dataset; an error in
 * a dataset names the path of the bad value ({@code "opportunities[3].probability"}, with the
 * model's own exception as its cause). Owners and
 * plan nodes need not be in the dataset's org structure, so the deals of a manager who left
 * stay readable.
 */
package org.crmkit.core.json;
