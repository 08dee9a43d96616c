package org.crmkit.funnel.spi;

/**
 * How a source computed an answer: what a result states so a caller can tell a dashboard's
 * millisecond answer from a scan, and see when a query fell back. The figures are the same
 * either way (every path implements the same definitions, and the maintained aggregates are
 * checked against the scan); only the cost differs.
 */
public enum AnswerPath {
    /**
     * From aggregates the store keeps up to date on every write: the cost grows with the number of
     * owners, not of opportunities.
     */
    MAINTAINED,
    /**
     * By grouping the opportunities the query selects: the in-memory columns' scan, the
     * database's grouped statement, a cluster's members, or the reference definitions.
     */
    SCAN;

    /**
     * The path of a sum of two answers: maintained only when both parts were.
     *
     * @param other the other part's path
     * @return the combined path
     */
    public AnswerPath and(AnswerPath other) {
        return this == MAINTAINED && other == MAINTAINED ? MAINTAINED : SCAN;
    }
}
