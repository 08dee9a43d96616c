package org.crmkit.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand. */
public final class MutableClock extends Clock {
    private Instant now;

    /**
     * A clock standing at an instant.
     *
     * @param start the first "now"
     */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /**
     * Moves the clock forward (or backward, with a negative duration).
     *
     * @param d how far
     * @return the new now
     */
    public Instant advance(Duration d) {
        now = now.plus(d);
        return now;
    }

    /**
     * Sets the clock.
     *
     * @param instant the new now
     */
    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
