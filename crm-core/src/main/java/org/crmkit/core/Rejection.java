package org.crmkit.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One rejected item of a batch (an opportunity of an {@code insertAll}, a row of an import):
 * where it sits, which opportunity it is, and every failure found in it, each naming the
 * field, the value and what was expected.
 *
 * @param index the item's position in the batch, from 0
 * @param source where the item came from, e.g. {@code "batch[3]"} or {@code "deals.csv line 17"}
 * @param opportunityId the opportunity's id, null when the item had no valid id
 * @param failures the failures found, at least one
 */
public record Rejection(int index, String source, OpportunityId opportunityId, List<ValidationException> failures) {
    /**
     * Validates and copies the failures.
     *
     * @throws IllegalArgumentException when the index is negative or there is no failure
     */
    public Rejection {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0: " + index);
        }
        Objects.requireNonNull(source, "source");
        failures = List.copyOf(Objects.requireNonNull(failures, "failures"));
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("a rejection needs at least one failure");
        }
    }

    /**
     * A rejection with one failure; the opportunity id is taken from the failure when the
     * caller does not know it.
     *
     * @param index the item's position in the batch
     * @param source where the item came from
     * @param opportunityId the opportunity's id, or null
     * @param failure the failure
     * @return the rejection
     */
    public static Rejection of(int index, String source, OpportunityId opportunityId, ValidationException failure) {
        OpportunityId id = opportunityId != null ? opportunityId : failure.opportunityId().orElse(null);
        return new Rejection(index, source, id, List.of(failure));
    }

    /**
     * The opportunity's id.
     *
     * @return the id, empty when the item had no valid id
     */
    public Optional<OpportunityId> opportunityIdIfAny() {
        return Optional.ofNullable(opportunityId);
    }

    /**
     * The same rejection at another position, e.g. when a part of a batch is mapped back to
     * the whole.
     *
     * @param newIndex the position in the whole batch
     * @param newSource where the item sits in the whole batch
     * @return the moved rejection
     */
    public Rejection at(int newIndex, String newSource) {
        return new Rejection(newIndex, newSource, opportunityId, failures);
    }

    /**
     * One line naming the item and its failures, e.g.
     * {@code "batch[3] (opportunity o-7): invalid probability: 120 (expected between 0 and 100)"}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        String item = opportunityId == null ? source : source + " (opportunity " + opportunityId.value() + ")";
        return item + ": " + failures.stream()
                .map(f -> "invalid " + f.field() + ": " + f.value() + " (expected " + f.expected() + ")")
                .collect(Collectors.joining("; "));
    }
}
