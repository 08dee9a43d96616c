package org.crmkit.examples.distributed;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.crmkit.core.ManagerId;
import org.crmkit.funnel.spi.FunnelStats;
import org.crmkit.funnel.spi.OwnerAggregates;

/**
 * Writes per-owner {@link FunnelStats} in their binary form ({@link FunnelStats#toBytes}) and
 * reads them back, so partial answers can travel
 * between cluster members. An answer is small (one stats per owner, not per opportunity), so
 * it is the only data that crosses the network besides the query.
 */
final class StatsCodec {
    private StatsCodec() {
    }

    static void write(OwnerAggregates<FunnelStats> parts, DataOutput out) throws IOException {
        out.writeInt(parts.buckets());
        out.writeInt(parts.owners().size() * parts.buckets());
        for (ManagerId owner : parts.owners()) {
            for (int b = 0; b < parts.buckets(); b++) {
                FunnelStats s = parts.part(owner, b);
                out.writeBoolean(s != null);
                if (s != null) {
                    out.writeUTF(owner.value());
                    out.writeInt(b);
                    write(s, out);
                }
            }
        }
    }

    static OwnerAggregates<FunnelStats> read(DataInput in) throws IOException {
        int buckets = in.readInt();
        int entries = in.readInt();
        OwnerAggregates.Builder<FunnelStats> b = OwnerAggregates.builder(buckets);
        for (int i = 0; i < entries; i++) {
            if (in.readBoolean()) {
                ManagerId owner = ManagerId.of(in.readUTF());
                int bucket = in.readInt();
                b.add(owner, bucket, readStats(in));
            }
        }
        return b.build();
    }

    private static void write(FunnelStats s, DataOutput out) throws IOException {
        byte[] b = s.toBytes();
        out.writeInt(b.length);
        out.write(b);
    }

    private static FunnelStats readStats(DataInput in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return FunnelStats.fromBytes(b);
    }
}
