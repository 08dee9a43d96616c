package org.crmkit.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The outcome of checking every item of a batch: the accepted items and every rejected one
 * with all its failures. Stores check a whole {@code insertAll} batch with
 * {@link #ofInsert} before writing anything; imports build one item by item with a
 * {@link #builder(String) builder}. {@link #requireAllValid()} turns rejections into one
 * {@link BatchValidationException}.
 *
 * @param <T> the item type
 */
public final class BatchCheck<T> {
    private final String what;
    private final int size;
    private final List<T> accepted;
    private final List<Rejection> rejections;

    private BatchCheck(String what, int size, List<T> accepted, List<Rejection> rejections) {
        this.what = what;
        this.size = size;
        this.accepted = List.copyOf(accepted);
        this.rejections = List.copyOf(rejections);
    }

    /**
     * Starts collecting the outcome of a batch, item by item in batch order.
     *
     * @param <T> the item type
     * @param what what the items are, plural, e.g. {@code "opportunities"} or {@code "rows"}
     * @return the builder
     */
    public static <T> Builder<T> builder(String what) {
        return new Builder<>(Objects.requireNonNull(what, "what"));
    }

    /**
     * Checks a batch of new opportunities for {@code insertAll}: each must have version 0, an
     * id used once in the batch and not stored yet, and a stored process it conforms to
     * ({@link Opportunity#requireConformsTo}). Every failure of every opportunity is
     * collected; an opportunity's source is {@code "batch[i]"}.
     *
     * @param batch the opportunities, in batch order
     * @param processes the stored process of an id, empty when none is stored
     * @param stored whether an id is already stored (a store calls this for every id, so it
     *     should be cheap, or {@code id -> false} when the store detects taken ids itself)
     * @return the outcome
     * @throws NullPointerException when the batch holds null
     */
    public static BatchCheck<Opportunity> ofInsert(Collection<Opportunity> batch,
            Function<ProcessId, Optional<SalesProcess>> processes, Predicate<OpportunityId> stored) {
        return of(batch, processes, stored, true, "batch");
    }

    /**
     * Checks the opportunities of an imported dataset
     * ({@link org.crmkit.core.spi.CrmStorage#importDataset}): as {@link #ofInsert}, but any
     * version is kept (an exported opportunity imports again), and processes may come from the
     * dataset itself; an opportunity's source is {@code "opportunities[i]"}.
     *
     * @param batch the dataset's opportunities, in order
     * @param processes the process of an id, from the dataset or the store; empty when neither has it
     * @param stored whether an id is already stored ({@code id -> false} when the store detects
     *     taken ids itself)
     * @return the outcome
     * @throws NullPointerException when the batch holds null
     */
    public static BatchCheck<Opportunity> ofImport(Collection<Opportunity> batch,
            Function<ProcessId, Optional<SalesProcess>> processes, Predicate<OpportunityId> stored) {
        return of(batch, processes, stored, false, "opportunities");
    }

    /**
     * Checks the opportunities of an upsert
     * ({@link org.crmkit.core.spi.OpportunityRepository#upsertAll}): as {@link #ofInsert}, but
     * any version is accepted and stored ids are not failures (versions are the upsert's
     * conflicts, not validation failures); an opportunity's source is {@code "batch[i]"}.
     *
     * @param batch the batch, in order
     * @param processes the stored process of an id, empty when none is stored
     * @return the outcome
     * @throws NullPointerException when the batch holds null
     */
    public static BatchCheck<Opportunity> ofUpsert(Collection<Opportunity> batch,
            Function<ProcessId, Optional<SalesProcess>> processes) {
        return of(batch, processes, id -> false, false, "batch");
    }

    private static BatchCheck<Opportunity> of(Collection<Opportunity> batch,
            Function<ProcessId, Optional<SalesProcess>> processes, Predicate<OpportunityId> stored,
            boolean newOnly, String source) {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(processes, "processes");
        Objects.requireNonNull(stored, "stored");
        Builder<Opportunity> b = builder("opportunities");
        Set<OpportunityId> seen = new HashSet<>();
        int i = 0;
        for (Opportunity opp : batch) {
            Objects.requireNonNull(opp, "batch[" + i + "]");
            List<ValidationException> failures = new ArrayList<>(1);
            if (newOnly && opp.version() != 0) {
                failures.add(new ValidationException("version", opp.version(), "0 for an opportunity not stored yet")
                        .forOpportunity(opp.id()));
            }
            if (!seen.add(opp.id())) {
                failures.add(new ValidationException("id", opp.id(), "an id used once in the batch")
                        .forOpportunity(opp.id()));
            } else if (stored.test(opp.id())) {
                failures.add(new ValidationException("id", opp.id(), "an id not stored yet").forOpportunity(opp.id()));
            }
            Optional<SalesProcess> process = processes.apply(opp.processId());
            if (process.isEmpty()) {
                failures.add(new ValidationException("processId", opp.processId(),
                        "batch".equals(source) ? "the id of a stored process" : "the id of a process in the dataset or the store")
                        .forOpportunity(opp.id()));
            } else {
                try {
                    opp.requireConformsTo(process.get());
                } catch (ValidationException e) {
                    failures.add(e);
                }
            }
            if (failures.isEmpty()) {
                b.accept(opp);
            } else {
                b.reject(source + "[" + i + "]", opp.id(), failures.toArray(ValidationException[]::new));
            }
            i++;
        }
        return b.build();
    }

    /**
     * The number of items checked.
     *
     * @return accepted plus rejected
     */
    public int size() {
        return size;
    }

    /**
     * The items that passed, in batch order.
     *
     * @return the accepted items, unmodifiable
     */
    public List<T> accepted() {
        return accepted;
    }

    /**
     * The items that failed, in batch order.
     *
     * @return the rejections, unmodifiable
     */
    public List<Rejection> rejections() {
        return rejections;
    }

    /**
     * Whether every item passed.
     *
     * @return true when nothing was rejected
     */
    public boolean allValid() {
        return rejections.isEmpty();
    }

    /**
     * The accepted items, when every item passed.
     *
     * @return the items, in batch order
     * @throws BatchValidationException listing every rejected item when any was rejected
     */
    public List<T> requireAllValid() {
        if (!rejections.isEmpty()) {
            throw new BatchValidationException(what, size, rejections);
        }
        return accepted;
    }

    @Override
    public String toString() {
        return "BatchCheck[" + accepted.size() + " of " + size + " " + what + " accepted, " + rejections.size()
                + " rejected]";
    }

    /**
     * Collects a batch's outcome item by item; each call to {@link #accept}, {@link #reject}
     * or {@link #attempt} is the next item of the batch. Not thread-safe.
     *
     * @param <T> the item type
     */
    public static final class Builder<T> {
        private final String what;
        private final List<T> accepted = new ArrayList<>();
        private final List<Rejection> rejections = new ArrayList<>();
        private int next;

        private Builder(String what) {
            this.what = what;
        }

        /**
         * Records the next item as accepted.
         *
         * @param item the item
         * @return this builder
         */
        public Builder<T> accept(T item) {
            accepted.add(Objects.requireNonNull(item, "item"));
            next++;
            return this;
        }

        /**
         * Records the next item as rejected.
         *
         * @param source where the item came from, e.g. {@code "line 17"}
         * @param opportunityId the opportunity's id, or null when unknown (then the first
         *     failure's id is used, if any)
         * @param failures every failure found in it, at least one
         * @return this builder
         */
        public Builder<T> reject(String source, OpportunityId opportunityId, ValidationException... failures) {
            OpportunityId id = opportunityId;
            for (int i = 0; id == null && i < failures.length; i++) {
                id = failures[i].opportunityId().orElse(null);
            }
            rejections.add(new Rejection(next++, source, id, Arrays.asList(failures)));
            return this;
        }

        /**
         * Builds the next item and records it as accepted, or as rejected when building
         * throws a {@link ValidationException}.
         *
         * @param source where the item came from
         * @param opportunityId the opportunity's id, or null when unknown
         * @param item builds the item
         * @return the item, empty when it was rejected
         */
        public Optional<T> attempt(String source, OpportunityId opportunityId, Supplier<? extends T> item) {
            T built;
            try {
                built = item.get();
            } catch (ValidationException e) {
                reject(source, opportunityId, e);
                return Optional.empty();
            }
            accept(built);
            return Optional.of(built);
        }

        /**
         * The number of items recorded so far.
         *
         * @return accepted plus rejected
         */
        public int size() {
            return next;
        }

        /**
         * The outcome so far.
         *
         * @return the check
         */
        public BatchCheck<T> build() {
            return new BatchCheck<>(what, next, accepted, rejections);
        }
    }
}
