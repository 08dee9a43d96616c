package org.crmkit.jdbc.internal;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway's log, routed to SLF4J one level down for what is routine: a store that opens and
 * migrates its schema is the happy path, so Flyway's INFO and NOTICE lines (about eleven on
 * every open: database, validation, history table, each migration) become DEBUG under
 * Flyway's own logger names ({@code org.flywaydb...}), where anyone who wants them can switch
 * them on. Warnings and errors stay what they are: they ask a user to act.
 *
 * <p>Flyway instantiates this class by name (the store configures {@code loggers(...)} with
 * it), so it is public with a public no-argument constructor; it is not API.
 */
public final class FlywayLog implements LogCreator {
    /** Creates the log creator; Flyway calls this. */
    public FlywayLog() {
    }

    @Override
    public Log createLogger(Class<?> clazz) {
        Logger logger = LoggerFactory.getLogger(clazz);
        return new Log() {
            @Override
            public boolean isDebugEnabled() {
                return logger.isDebugEnabled();
            }

            @Override
            public void debug(String message) {
                logger.debug(message);
            }

            @Override
            public void info(String message) {
                logger.debug(message);
            }

            @Override
            public void warn(String message) {
                logger.warn(message);
            }

            @Override
            public void error(String message) {
                logger.error(message);
            }

            @Override
            public void error(String message, Exception e) {
                logger.error(message, e);
            }

            @Override
            public void notice(String message) {
                logger.debug(message);
            }
        };
    }
}
