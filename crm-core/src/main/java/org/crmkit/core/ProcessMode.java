package org.crmkit.core;

/** How strictly a {@link SalesProcess} guides stage changes. */
public enum ProcessMode {
    /**
     * Guided: a forward move needs the required steps of the current stage (and of any
     * stage it skips) done; {@link SalesProcessEngine#nextActions} tells what is missing.
     * Moving backward and losing are always allowed.
     */
    BY_PROCESS,
    /** Free: any move between stages is allowed ("working outside the process"). */
    FREE
}
