package org.crmkit.core;

/** The status of an opportunity, implied by the kind of its current stage. */
public enum OpportunityStatus {
    /** Still being worked on. */
    OPEN,
    /** Closed as won. */
    WON,
    /** Closed as lost. */
    LOST;

    /**
     * The status an opportunity has while at a stage of the given kind.
     *
     * @param kind the stage kind
     * @return the status
     */
    public static OpportunityStatus of(StageKind kind) {
        return switch (kind) {
            case OPEN -> OPEN;
            case WON -> WON;
            case LOST -> LOST;
        };
    }

    /**
     * Whether the opportunity is closed (won or lost).
     *
     * @return true for {@link #WON} and {@link #LOST}
     */
    public boolean isClosed() {
        return this != OPEN;
    }
}
