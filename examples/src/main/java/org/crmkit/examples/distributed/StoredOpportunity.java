package org.crmkit.examples.distributed;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.Objects;
import org.crmkit.core.Opportunity;
import org.crmkit.core.json.CrmJson;

/**
 * An opportunity as a value of the cluster's map. It travels as crmkit JSON (written when it is
 * put, read once when the owning member stores it); the map keeps values as objects
 * ({@code InMemoryFormat.OBJECT}), so a query reads the stored {@link Opportunity} directly and
 * parses nothing.
 */
public final class StoredOpportunity implements Externalizable {
    private static final long serialVersionUID = 1L;
    /** How many times a value was read from its serialized form in this JVM (for the example's test). */
    private static final java.util.concurrent.atomic.AtomicLong READS = new java.util.concurrent.atomic.AtomicLong();

    private Opportunity opportunity;

    /** For deserialization only. */
    public StoredOpportunity() {
    }

    /**
     * Wraps an opportunity.
     *
     * @param opportunity the opportunity
     */
    public StoredOpportunity(Opportunity opportunity) {
        this.opportunity = Objects.requireNonNull(opportunity, "opportunity");
    }

    /**
     * The opportunity.
     *
     * @return the opportunity
     */
    public Opportunity opportunity() {
        return opportunity;
    }

    /**
     * How many values were read from their serialized form in this JVM so far: a query on a
     * map that keeps objects reads none.
     *
     * @return the count
     */
    public static long reads() {
        return READS.get();
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
        byte[] json = CrmJson.write(opportunity).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(json.length);
        out.write(json);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        opportunity = CrmJson.readOpportunity(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        READS.incrementAndGet();
    }
}
