package org.crmkit.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.ClientId;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.Competitor;
import org.crmkit.core.ContactId;
import org.crmkit.core.Dataset;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.Lead;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Participant;
import org.crmkit.core.Period;
import org.crmkit.core.ProcessId;
import org.crmkit.core.ProductLine;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Stage;
import org.crmkit.core.StageTransition;
import org.crmkit.core.Step;
import org.crmkit.core.UnitId;
import org.crmkit.core.ValidationException;

/**
 * A Jackson 2 module that writes and reads the crmkit model: {@link Dataset},
 * {@link Opportunity} with all its children, {@link SalesProcess}, {@link OrgStructure},
 * {@link SalesPlan}, {@link Period}, money ({@link MonetaryAmount}, {@link CurrencyUnit})
 * and the id types. The format is described in the {@linkplain org.crmkit.core.json package
 * documentation}; the model classes carry no Jackson annotations.
 *
 * <p>Reading builds values through the model's constructors and builders, so every rule of
 * the model applies; a broken rule, an unknown property or a value of the wrong type is a
 * {@link ValidationException} naming the field and the value. Jackson may wrap it when the
 * value sits inside the caller's own types; {@link CrmJson} unwraps it.
 *
 * <p>Ids are plain strings. A property declared as {@link OrgNodeId} is read from its key
 * ({@code "manager:m1"}, {@code "unit:u1"}); since Jackson writes a value by its runtime type,
 * callers that hold an {@code OrgNodeId} in their own types should write {@link OrgNodeId#key()}.
 */
public final class CrmJacksonModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    /** Creates the module. */
    public CrmJacksonModule() {
        super("crmkit", Version.unknownVersion());
        add(Dataset.class, ModelCodecs::writeDataset, ModelCodecs::readDataset);
        add(Opportunity.class, ModelCodecs::writeOpportunity, ModelCodecs::readOpportunity);
        add(SalesProcess.class, ModelCodecs::writeProcess, ModelCodecs::readProcess);
        add(Stage.class, ModelCodecs::writeStage, ModelCodecs::readStage);
        add(Step.class, ModelCodecs::writeStep, ModelCodecs::readStep);
        add(OrgStructure.class, ModelCodecs::writeOrgStructure, ModelCodecs::readOrgStructure);
        add(SalesPlan.class, ModelCodecs::writePlan, ModelCodecs::readPlan);
        add(Period.class, ModelCodecs::writePeriod, ModelCodecs::readPeriod);
        add(ClientRef.class, ModelCodecs::writeClient, ModelCodecs::readClient);
        add(Competitor.class, ModelCodecs::writeCompetitor, ModelCodecs::readCompetitor);
        add(Participant.class, ModelCodecs::writeParticipant, ModelCodecs::readParticipant);
        add(Lead.class, ModelCodecs::writeLead, ModelCodecs::readLead);
        add(ProductLine.class, ModelCodecs::writeProductLine, ModelCodecs::readProductLine);
        add(HistoryEntry.class, ModelCodecs::writeHistoryEntry, ModelCodecs::readHistoryEntry);
        add(StageTransition.class, ModelCodecs::writeTransition, ModelCodecs::readTransition);
        add(CloseInfo.class, ModelCodecs::writeCloseInfo, ModelCodecs::readCloseInfo);
        add(MonetaryAmount.class, ModelCodecs::writeMoney, ModelCodecs::readMoney);
        add(CurrencyUnit.class, (c, g) -> g.writeString(c.getCurrencyCode()), ModelCodecs::readCurrency);
        add(OpportunityId.class, (id, g) -> g.writeString(id.value()),
                (n, at) -> OpportunityId.of(ModelCodecs.readText(n, at)));
        add(ManagerId.class, (id, g) -> g.writeString(id.value()),
                (n, at) -> ManagerId.of(ModelCodecs.readText(n, at)));
        add(UnitId.class, (id, g) -> g.writeString(id.value()), (n, at) -> UnitId.of(ModelCodecs.readText(n, at)));
        add(ProcessId.class, (id, g) -> g.writeString(id.value()),
                (n, at) -> ProcessId.of(ModelCodecs.readText(n, at)));
        add(ClientId.class, (id, g) -> g.writeString(id.value()), (n, at) -> ClientId.of(ModelCodecs.readText(n, at)));
        add(ContactId.class, (id, g) -> g.writeString(id.value()),
                (n, at) -> ContactId.of(ModelCodecs.readText(n, at)));
        addDeserializer(OrgNodeId.class, new CodecDeserializer<>(OrgNodeId.class, ModelCodecs::readOrgNode));
    }

    private <T> void add(Class<T> type, ModelCodecs.Writer<T> writer, JsonIn.Reader<T> reader) {
        addSerializer(type, new CodecSerializer<>(type, writer));
        addDeserializer(type, new CodecDeserializer<>(type, reader));
    }

    private static final class CodecSerializer<T> extends StdSerializer<T> {
        private static final long serialVersionUID = 1L;
        private final transient ModelCodecs.Writer<T> writer;

        CodecSerializer(Class<T> type, ModelCodecs.Writer<T> writer) {
            super(type);
            this.writer = writer;
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            writer.write(value, gen);
        }
    }

    private static final class CodecDeserializer<T> extends StdDeserializer<T> {
        private static final long serialVersionUID = 1L;
        private final transient JsonIn.Reader<T> reader;

        CodecDeserializer(Class<T> type, JsonIn.Reader<T> reader) {
            super(type);
            this.reader = reader;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(p);
            return reader.read(node, "");
        }
    }
}
