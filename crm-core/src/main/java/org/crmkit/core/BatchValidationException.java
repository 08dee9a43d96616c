package org.crmkit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A batch with invalid items (opportunities of an {@code insertAll}, rows of an import):
 * every rejected item with every failure found in it, so one run shows everything to fix.
 * Whoever throws it has stored nothing of the batch.
 *
 * <p>It is a {@link ValidationException} whose field is {@code "batch"}, whose value counts
 * the rejected items and whose opportunity is the first rejected one's; the message lists
 * the first {@value #LISTED} rejections, {@link #rejections()} holds all of them.
 */
public class BatchValidationException extends ValidationException {
    private static final long serialVersionUID = 1L;
    /** The most rejections the message lists. */
    public static final int LISTED = 50;

    /** Rejections are records of exceptions: serialised as a copy held in a plain list. */
    private final ArrayList<Rejection> rejections;
    private final int batchSize;

    /**
     * Creates the failure of a batch.
     *
     * @param what what the items are, plural, e.g. {@code "opportunities"} or {@code "rows"}
     * @param batchSize the number of items in the batch
     * @param rejections the rejected items, at least one, in batch order
     */
    public BatchValidationException(String what, int batchSize, List<Rejection> rejections) {
        super(message(what, batchSize, rejections), "batch", rejections.size() + " of " + batchSize + " " + what
                + " rejected", "every item valid (see rejections())", firstId(rejections));
        this.rejections = new ArrayList<>(rejections);
        this.batchSize = batchSize;
        if (rejections.isEmpty()) {
            throw new IllegalArgumentException("a batch failure needs at least one rejection");
        }
        for (Rejection r : rejections) {
            for (ValidationException f : r.failures()) {
                addSuppressed(f);
            }
            if (getSuppressed().length >= LISTED) {
                break;
            }
        }
    }

    private static String firstId(List<Rejection> rejections) {
        return rejections.isEmpty() || rejections.get(0).opportunityId() == null ? null
                : rejections.get(0).opportunityId().value();
    }

    private static String message(String what, int batchSize, List<Rejection> rejections) {
        Objects.requireNonNull(what, "what");
        StringBuilder sb = new StringBuilder().append(rejections.size()).append(" of ").append(batchSize).append(' ')
                .append(what).append(" rejected:");
        int n = Math.min(LISTED, rejections.size());
        for (int i = 0; i < n; i++) {
            sb.append(System.lineSeparator()).append("  ").append(rejections.get(i));
        }
        if (rejections.size() > n) {
            sb.append(System.lineSeparator()).append("  ... and ").append(rejections.size() - n)
                    .append(" more (see rejections())");
        }
        return sb.toString();
    }

    /**
     * Every rejected item, in batch order.
     *
     * @return the rejections, unmodifiable, at least one
     */
    public List<Rejection> rejections() {
        return List.copyOf(rejections);
    }

    /**
     * The number of items in the batch, valid and rejected.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }
}
