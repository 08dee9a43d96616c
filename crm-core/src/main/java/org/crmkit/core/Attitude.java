package org.crmkit.core;

/** A participant's attitude towards the deal. */
public enum Attitude {
    /** Supports us. */
    SUPPORTER,
    /** Neither for nor against. */
    NEUTRAL,
    /** Opposes us. */
    OPPONENT,
    /** Not known yet. */
    UNKNOWN
}
