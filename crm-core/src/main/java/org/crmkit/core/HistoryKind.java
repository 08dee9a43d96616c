package org.crmkit.core;

/** The kind of an entry in an opportunity's timeline. */
public enum HistoryKind {
    /** A call, meeting or task. */
    ACTIVITY,
    /** An email sent or received. */
    EMAIL,
    /** A proposal (commercial offer) sent. */
    PROPOSAL,
    /** A post in the feed. */
    FEED_POST,
    /** A file attached. */
    FILE,
    /** A comment. */
    COMMENT
}
