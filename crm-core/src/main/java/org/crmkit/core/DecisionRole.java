package org.crmkit.core;

/** The part a client's person plays in the buying decision. */
public enum DecisionRole {
    /** Makes the final decision. */
    DECISION_MAKER,
    /** Controls the budget. */
    ECONOMIC_BUYER,
    /** Judges the technical fit. */
    TECHNICAL_BUYER,
    /** Shapes the opinion of the decision makers. */
    INFLUENCER,
    /** Sells for us inside the client. */
    CHAMPION,
    /** Works against the deal. */
    BLOCKER,
    /** Will use what is sold. */
    USER
}
