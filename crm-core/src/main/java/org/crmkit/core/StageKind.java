package org.crmkit.core;

/** Whether a stage is one of the ordered open stages or one of the two terminal stages. */
public enum StageKind {
    /** An open stage: the opportunity is being worked on. */
    OPEN,
    /** The terminal stage of a won opportunity. */
    WON,
    /** The terminal stage of a lost opportunity. */
    LOST
}
