package org.crmkit.core;

/**
 * Root of every exception crmkit throws. All crmkit exceptions are unchecked; catching
 * {@code CrmException} catches every failure the SDK reports on purpose.
 */
public class CrmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, naming the offending value
     */
    public CrmException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, naming the offending value
     * @param cause the underlying failure
     */
    public CrmException(String message, Throwable cause) {
        super(message, cause);
    }
}
