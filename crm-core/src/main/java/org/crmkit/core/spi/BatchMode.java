package org.crmkit.core.spi;

/**
 * What {@link OpportunityRepository#insertAll(java.util.Collection, BatchMode)} does with a
 * batch that holds invalid opportunities. Either way every invalid one is reported at once,
 * each with its id and every failure found in it.
 */
public enum BatchMode {
    /** Store the whole batch or, when any opportunity is invalid, none of it. */
    ALL_OR_NOTHING,
    /** Store the valid opportunities and return the rejected ones. */
    STORE_VALID
}
