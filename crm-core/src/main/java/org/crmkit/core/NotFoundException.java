package org.crmkit.core;

/** A referenced entity (opportunity, process, org node, plan) does not exist. */
public class NotFoundException extends CrmException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a not-found failure.
     *
     * @param kind what was looked for, e.g. {@code "opportunity"}
     * @param id the identifier that was not found
     */
    public NotFoundException(String kind, Object id) {
        super(kind + " not found: " + id);
    }
}
