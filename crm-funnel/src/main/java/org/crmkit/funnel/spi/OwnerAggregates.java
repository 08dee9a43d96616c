package org.crmkit.funnel.spi;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.crmkit.core.ManagerId;
import org.crmkit.core.ValidationException;

/**
 * Aggregates per owner and bucket: what a source answers and what is merged across sources.
 * A node of the org structure is the sum of its distinct owners' parts, so an opportunity
 * counts once per node however many paths lead to its owner. Parts merge owner by owner
 * ({@link #plus}), so the answers of disjoint sets of opportunities (threads, shards, cluster
 * members) add up to the answer of their union; {@link #minus} takes a part back exactly.
 *
 * <p>Immutable. Empty parts are not kept, so equal contents compare equal.
 *
 * @param <T> the aggregate of one owner and bucket
 */
public final class OwnerAggregates<T extends Aggregate<T>> {
    private final int buckets;
    private final Map<ManagerId, Object[]> parts;
    private final AnswerPath path;

    private OwnerAggregates(int buckets, Map<ManagerId, Object[]> parts, AnswerPath path) {
        this.buckets = buckets;
        this.parts = parts;
        this.path = path;
    }

    /**
     * How the source computed these parts. Not part of {@link #equals}: the same figures by
     * another path are the same answer.
     *
     * @return the path, {@link AnswerPath#SCAN} unless the source says otherwise
     */
    public AnswerPath path() {
        return path;
    }

    /**
     * The same parts, stated as computed by another path.
     *
     * @param answeredBy the path
     * @return the copy
     */
    public OwnerAggregates<T> withPath(AnswerPath answeredBy) {
        return answeredBy == path ? this : new OwnerAggregates<>(buckets, parts, Objects.requireNonNull(answeredBy,
                "answeredBy"));
    }

    /**
     * No part.
     *
     * @param <T> the aggregate type
     * @param buckets the number of buckets, at least 1
     * @return the identity of {@link #plus}
     * @throws ValidationException when {@code buckets} is not positive
     */
    public static <T extends Aggregate<T>> OwnerAggregates<T> empty(int buckets) {
        ValidationException.require(buckets >= 1, "buckets", buckets, "at least 1");
        return new OwnerAggregates<>(buckets, Map.of(), AnswerPath.SCAN);
    }

    /**
     * Starts a mutable accumulator.
     *
     * @param <T> the aggregate type
     * @param buckets the number of buckets, at least 1
     * @return the builder
     * @throws ValidationException when {@code buckets} is not positive
     */
    public static <T extends Aggregate<T>> Builder<T> builder(int buckets) {
        ValidationException.require(buckets >= 1, "buckets", buckets, "at least 1");
        return new Builder<>(buckets);
    }

    /**
     * The number of buckets.
     *
     * @return at least 1
     */
    public int buckets() {
        return buckets;
    }

    /**
     * The owners with a part.
     *
     * @return the owners, sorted, unmodifiable
     */
    public Set<ManagerId> owners() {
        return Collections.unmodifiableSet(parts.keySet());
    }

    /**
     * One owner's part of one bucket.
     *
     * @param owner the owner
     * @param bucket the bucket index
     * @return the part, empty when the owner has nothing there
     */
    public Optional<T> find(ManagerId owner, int bucket) {
        return Optional.ofNullable(part(owner, bucket));
    }

    /**
     * One owner's part of one bucket, or null (the allocation-free form of {@link #find}).
     *
     * @param owner the owner
     * @param bucket the bucket index
     * @return the part, null when the owner has nothing there
     * @throws ValidationException when the bucket is out of range
     */
    @SuppressWarnings("unchecked")
    public T part(ManagerId owner, int bucket) {
        if (bucket < 0 || bucket >= buckets) {
            throw new ValidationException("bucket", bucket, "a bucket index in [0, " + buckets + ")");
        }
        Object[] p = parts.get(owner);
        return p == null ? null : (T) p[bucket];
    }

    /**
     * Visits every part.
     *
     * @param visitor called with (owner, bucket, part) for each part, by owner then bucket
     */
    @SuppressWarnings("unchecked")
    public void forEach(PartVisitor<T> visitor) {
        Objects.requireNonNull(visitor, "visitor");
        parts.forEach((o, p) -> {
            for (int b = 0; b < p.length; b++) {
                if (p[b] != null) {
                    visitor.visit(o, b, (T) p[b]);
                }
            }
        });
    }

    /**
     * The parts of one bucket.
     *
     * @param bucket the bucket index
     * @param visitor called with (owner, part) for each owner with a part in the bucket
     */
    public void forEachIn(int bucket, BiConsumer<ManagerId, T> visitor) {
        Objects.requireNonNull(visitor, "visitor");
        for (ManagerId o : parts.keySet()) {
            T p = part(o, bucket);
            if (p != null) {
                visitor.accept(o, p);
            }
        }
    }

    /**
     * The owner-by-owner sum of two answers.
     *
     * @param other parts with the same number of buckets
     * @return the sum
     * @throws ValidationException when the bucket counts differ
     */
    public OwnerAggregates<T> plus(OwnerAggregates<T> other) {
        return combine(other, false);
    }

    /**
     * These parts without other parts that were added to them.
     *
     * @param other parts of this answer
     * @return the difference
     * @throws ValidationException when the bucket counts differ or {@code other} is not a part
     */
    public OwnerAggregates<T> minus(OwnerAggregates<T> other) {
        return combine(other, true);
    }

    private OwnerAggregates<T> combine(OwnerAggregates<T> other, boolean subtract) {
        Objects.requireNonNull(other, "other");
        ValidationException.require(other.buckets == buckets, "other.buckets", other.buckets,
                "the bucket count " + buckets);
        Builder<T> b = new Builder<>(buckets);
        forEach(b::add);
        if (subtract) {
            other.forEach(b::subtract);
        } else {
            other.forEach(b::add);
        }
        return b.path(path.and(other.path)).build();
    }

    /**
     * Whether there is no part.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return parts.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OwnerAggregates<?> other) || other.buckets != buckets
                || !other.parts.keySet().equals(parts.keySet())) {
            return false;
        }
        for (Map.Entry<ManagerId, Object[]> e : parts.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.parts.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = buckets;
        for (Map.Entry<ManagerId, Object[]> e : parts.entrySet()) {
            h += e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("OwnerAggregates[").append(parts.size()).append(" owners, ")
                .append(buckets).append(" buckets");
        // the parts themselves while they are few enough to read (e.g. in a failed assertion)
        if (parts.size() * buckets <= 64) {
            forEach((o, b, p) -> sb.append("\n  ").append(o.value()).append('#').append(b).append(": ").append(p));
        }
        return sb.append(']').toString();
    }

    /**
     * Receives the parts of {@link #forEach}.
     *
     * @param <T> the aggregate type
     */
    @FunctionalInterface
    public interface PartVisitor<T> {
        /**
         * Receives one part.
         *
         * @param owner the owner
         * @param bucket the bucket index
         * @param part the part
         */
        void visit(ManagerId owner, int bucket, T part);
    }

    /**
     * A mutable accumulator of parts; adding a part to an owner and bucket that has one sums
     * them. Not thread-safe.
     *
     * @param <T> the aggregate type
     */
    public static final class Builder<T extends Aggregate<T>> {
        private final int buckets;
        private final TreeMap<ManagerId, Object[]> parts = new TreeMap<>();
        private AnswerPath path = AnswerPath.SCAN;

        private Builder(int buckets) {
            this.buckets = buckets;
        }

        /**
         * States how the parts are computed ({@link AnswerPath#SCAN} unless set).
         *
         * @param answeredBy the path
         * @return this builder
         */
        public Builder<T> path(AnswerPath answeredBy) {
            this.path = Objects.requireNonNull(answeredBy, "answeredBy");
            return this;
        }

        /**
         * Adds a part.
         *
         * @param owner the owner
         * @param bucket the bucket index
         * @param part the part
         * @return this builder
         * @throws ValidationException when the bucket is out of range
         */
        public Builder<T> add(ManagerId owner, int bucket, T part) {
            return put(owner, bucket, part, false);
        }

        /**
         * Subtracts a part that was added.
         *
         * @param owner the owner
         * @param bucket the bucket index
         * @param part the part
         * @return this builder
         * @throws ValidationException when the bucket is out of range or the part was not added
         */
        public Builder<T> subtract(ManagerId owner, int bucket, T part) {
            return put(owner, bucket, part, true);
        }

        @SuppressWarnings("unchecked")
        private Builder<T> put(ManagerId owner, int bucket, T part, boolean subtract) {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(part, "part");
            if (bucket < 0 || bucket >= buckets) {
                throw new ValidationException("bucket", bucket, "a bucket index in [0, " + buckets + ")");
            }
            Object[] p = parts.computeIfAbsent(owner, o -> new Object[buckets]);
            T old = (T) p[bucket];
            if (subtract) {
                if (old == null) {
                    throw new ValidationException("owner", owner, "an owner with a part to subtract from in bucket "
                            + bucket);
                }
                p[bucket] = old.minus(part);
            } else {
                p[bucket] = old == null ? part : old.plus(part);
            }
            return this;
        }

        /**
         * Freezes the parts, dropping empty ones.
         *
         * @return the parts
         */
        public OwnerAggregates<T> build() {
            TreeMap<ManagerId, Object[]> out = new TreeMap<>();
            parts.forEach((o, p) -> {
                Object[] copy = p.clone();
                boolean any = false;
                for (int b = 0; b < copy.length; b++) {
                    if (copy[b] != null && ((Aggregate<?>) copy[b]).isEmpty()) {
                        copy[b] = null;
                    }
                    any |= copy[b] != null;
                }
                if (any) {
                    out.put(o, copy);
                }
            });
            return new OwnerAggregates<>(buckets, Collections.unmodifiableMap(out), path);
        }
    }
}
