package org.crmkit.core;

/** Whether a client is a company account or a single person. */
public enum ClientKind {
    /** A company, organisation or institution. */
    ACCOUNT,
    /** A person buying on their own behalf. */
    CONTACT
}
