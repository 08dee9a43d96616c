package org.crmkit.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.crmkit.core.ClientId;
import org.crmkit.core.ClientKind;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.Competitor;
import org.crmkit.core.ContactId;
import org.crmkit.core.Dataset;
import org.crmkit.core.DecisionRole;
import org.crmkit.core.Attitude;
import org.crmkit.core.FieldChange;
import org.crmkit.core.ForecastCategory;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.HistoryKind;
import org.crmkit.core.Lead;
import org.crmkit.core.Manager;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Membership;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.OrgUnit;
import org.crmkit.core.Participant;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.ProcessId;
import org.crmkit.core.ProcessMode;
import org.crmkit.core.ProductLine;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.Stage;
import org.crmkit.core.StageKind;
import org.crmkit.core.StageTransition;
import org.crmkit.core.TrackedField;
import org.crmkit.core.Step;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.UnitLink;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;

/**
 * Writes and reads every model type by hand, so the model stays free of Jackson and the
 * format is fixed here, in one place. Readers build values through the model's own
 * constructors and builders: every rule of the model applies to what is read.
 */
final class ModelCodecs {
    /** The version of the dataset format written in {@code formatVersion}. */
    static final int DATASET_FORMAT_VERSION = 1;

    private ModelCodecs() {
    }

    /** Writes one value as a complete JSON value. */
    @FunctionalInterface
    interface Writer<T> {
        void write(T value, JsonGenerator g) throws IOException;
    }

    // ---- scalars -------------------------------------------------------------------------

    /**
     * The amount as text at least at its currency's minor unit ("1250.50"): Moneta strips
     * trailing zeros, so the scale is restored from the currency; digits beyond it are kept,
     * nothing is rounded.
     */
    static String amountText(MonetaryAmount amount) {
        BigDecimal d = Amounts.decimal(amount);
        int digits = Amounts.fractionDigits(amount.getCurrency());
        if (d.precision() - d.scale() > 40) {
            // Only a price can be this large (amounts must fit long minor units); plain digits
            // could be endless, the exponent form is exact and reads back the same.
            return d.toString();
        }
        if (d.scale() < digits) {
            d = d.setScale(digits);
        }
        return d.toPlainString();
    }

    static void writeMoney(MonetaryAmount m, JsonGenerator g) throws IOException {
        if (m == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("amount", amountText(m));
        g.writeStringField("currency", m.getCurrency().getCurrencyCode());
        g.writeEndObject();
    }

    static MonetaryAmount readMoney(JsonNode node, String path) {
        return JsonIn.readMoney(node, path);
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    /** Decimals other than money keep their exact scale: {@code toString} round-trips it. */
    private static void decimalField(JsonGenerator g, String name, BigDecimal value) throws IOException {
        field(g, name, value == null ? null : value.toString());
    }

    private static void moneyField(JsonGenerator g, String name, MonetaryAmount value) throws IOException {
        g.writeFieldName(name);
        writeMoney(value, g);
    }

    private static <T> void arrayField(JsonGenerator g, String name, Iterable<T> values, Writer<T> writer)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (T v : values) {
            writer.write(v, g);
        }
        g.writeEndArray();
    }

    static OrgNodeId readOrgNode(JsonNode node, String path) {
        path = path.isEmpty() ? "orgNode" : path;
        if (!node.isTextual()) {
            throw new ValidationException(path, JsonIn.describe(node), "'manager:<id>' or 'unit:<id>'");
        }
        try {
            return OrgNodeId.parse(node.textValue());
        } catch (ValidationException e) {
            throw new ValidationException(path, node.textValue(), "'manager:<id>' or 'unit:<id>'");
        }
    }

    static String readText(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw new ValidationException(path.isEmpty() ? "json" : path, JsonIn.describe(node), "text");
        }
        return node.textValue();
    }

    static CurrencyUnit readCurrency(JsonNode node, String path) {
        String code = readText(node, path);
        try {
            return Amounts.currency(code);
        } catch (ValidationException e) {
            throw new ValidationException(path.isEmpty() ? "currency" : path, code, "an ISO-4217 currency code");
        }
    }

    // ---- opportunity and its children ----------------------------------------------------

    static void writeClient(ClientRef c, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", c.id().value());
        g.writeStringField("kind", c.kind().name());
        g.writeStringField("name", c.name());
        g.writeEndObject();
    }

    static ClientRef readClient(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "id", "kind", "name");
        String id = o.text("id");
        return new ClientRef(id == null ? null : ClientId.of(id), o.enumValue("kind", ClientKind.class),
                o.text("name"));
    }

    static void writeCompetitor(Competitor c, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeStringField("strengths", c.strengths());
        g.writeStringField("weaknesses", c.weaknesses());
        g.writeEndObject();
    }

    static Competitor readCompetitor(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "name", "strengths", "weaknesses");
        return new Competitor(o.text("name"), o.text("strengths"), o.text("weaknesses"));
    }

    static void writeParticipant(Participant p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("contact", p.contact().value());
        g.writeStringField("name", p.name());
        g.writeStringField("role", p.role().name());
        g.writeStringField("attitude", p.attitude().name());
        g.writeEndObject();
    }

    static Participant readParticipant(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "contact", "name", "role", "attitude");
        String contact = o.text("contact");
        return new Participant(contact == null ? null : ContactId.of(contact), o.text("name"),
                o.enumValue("role", DecisionRole.class), o.enumValue("attitude", Attitude.class));
    }

    static void writeLead(Lead l, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", l.id());
        g.writeStringField("need", l.need());
        g.writeEndObject();
    }

    static Lead readLead(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "id", "need");
        return new Lead(o.text("id"), o.text("need"));
    }

    static void writeProductLine(ProductLine l, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("product", l.product());
        decimalField(g, "quantity", l.quantity());
        moneyField(g, "unitPrice", l.unitPrice());
        decimalField(g, "discountPercent", l.discountPercent());
        g.writeEndObject();
    }

    static ProductLine readProductLine(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "product", "quantity", "unitPrice", "discountPercent");
        return new ProductLine(o.text("product"), o.decimal("quantity"), o.money("unitPrice"),
                o.decimal("discountPercent"));
    }

    static void writeHistoryEntry(HistoryEntry h, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", h.id());
        g.writeStringField("kind", h.kind().name());
        g.writeStringField("at", h.at().toString());
        g.writeStringField("author", h.author().value());
        g.writeStringField("subject", h.subject());
        g.writeStringField("body", h.body());
        g.writeEndObject();
    }

    static HistoryEntry readHistoryEntry(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "id", "kind", "at", "author", "subject", "body");
        return new HistoryEntry(o.text("id"), o.enumValue("kind", HistoryKind.class), o.instant("at"),
                managerId(o.text("author")), o.text("subject"), o.text("body"));
    }

    static void writeTransition(StageTransition t, JsonGenerator g) throws IOException {
        g.writeStartObject();
        field(g, "from", t.from());
        g.writeStringField("to", t.to());
        g.writeStringField("at", t.at().toString());
        g.writeStringField("by", t.by().value());
        g.writeEndObject();
    }

    static StageTransition readTransition(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "from", "to", "at", "by");
        return new StageTransition(o.text("from"), o.text("to"), o.instant("at"), managerId(o.text("by")));
    }

    static void writeChange(FieldChange c, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("field", c.field().name());
        field(g, "from", c.from());
        field(g, "to", c.to());
        g.writeStringField("at", c.at().toString());
        g.writeStringField("by", c.by().value());
        g.writeEndObject();
    }

    static FieldChange readChange(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "field", "from", "to", "at", "by");
        return new FieldChange(o.enumValue("field", TrackedField.class), o.text("from"), o.text("to"),
                o.instant("at"), managerId(o.text("by")));
    }

    static void writeCloseInfo(CloseInfo c, JsonGenerator g) throws IOException {
        g.writeStartObject();
        field(g, "closeDate", c.closeDate() == null ? null : c.closeDate().toString());
        moneyField(g, "actualRevenue", c.actualRevenue());
        decimalField(g, "hoursSpent", c.hoursSpent());
        field(g, "reason", c.reason());
        field(g, "winningCompetitor", c.winningCompetitor());
        g.writeEndObject();
    }

    static CloseInfo readCloseInfo(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "closeDate", "actualRevenue", "hoursSpent", "reason",
                "winningCompetitor");
        return new CloseInfo(o.date("closeDate"), o.money("actualRevenue"), o.decimal("hoursSpent"), o.text("reason"),
                o.text("winningCompetitor"));
    }

    private static final String[] OPPORTUNITY_FIELDS = {"id", "title", "client", "owner", "processId", "stage",
        "status", "probability", "currency", "budget", "amount", "createdAt", "expectedCloseDate", "tactic",
        "competitors", "participants", "leads", "productLines", "history", "transitions", "completedSteps",
        "changes", "closeInfo", "forecastCategory", "version"};

    static void writeOpportunity(Opportunity o, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", o.id().value());
        g.writeStringField("title", o.title());
        g.writeFieldName("client");
        if (o.client().isPresent()) {
            writeClient(o.client().get(), g);
        } else {
            g.writeNull();
        }
        g.writeStringField("owner", o.owner().value());
        g.writeStringField("processId", o.processId().value());
        g.writeStringField("stage", o.stage());
        g.writeStringField("status", o.status().name());
        g.writeNumberField("probability", o.probability());
        g.writeStringField("currency", o.currency().getCurrencyCode());
        moneyField(g, "budget", o.budget().orElse(null));
        moneyField(g, "amount", o.amount().orElse(null));
        g.writeStringField("createdAt", o.createdAt().toString());
        g.writeStringField("expectedCloseDate", o.expectedCloseDate().toString());
        g.writeStringField("tactic", o.tactic());
        arrayField(g, "competitors", o.competitors(), ModelCodecs::writeCompetitor);
        arrayField(g, "participants", o.participants(), ModelCodecs::writeParticipant);
        arrayField(g, "leads", o.leads(), ModelCodecs::writeLead);
        arrayField(g, "productLines", o.productLines(), ModelCodecs::writeProductLine);
        arrayField(g, "history", o.history(), ModelCodecs::writeHistoryEntry);
        arrayField(g, "transitions", o.transitions(), ModelCodecs::writeTransition);
        // A set has no order of its own; sorting keeps the output stable from run to run.
        arrayField(g, "completedSteps", o.completedSteps().stream().sorted().toList(), (s, gen) -> gen.writeString(s));
        // absent in files written before field history: they read back with no changes
        arrayField(g, "changes", o.changes(), ModelCodecs::writeChange);
        g.writeFieldName("closeInfo");
        if (o.closeInfo().isPresent()) {
            writeCloseInfo(o.closeInfo().get(), g);
        } else {
            g.writeNull();
        }
        field(g, "forecastCategory", o.forecastCategory().map(Enum::name).orElse(null));
        g.writeNumberField("version", o.version());
        g.writeEndObject();
    }

    static Opportunity readOpportunity(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, OPPORTUNITY_FIELDS);
        Opportunity.Builder b = Opportunity.builder();
        String id = o.text("id");
        b.id(id == null ? null : OpportunityId.of(id));
        b.title(o.text("title"));
        b.client(o.value("client", ModelCodecs::readClient));
        b.owner(managerId(o.text("owner")));
        String process = o.text("processId");
        b.processId(process == null ? null : ProcessId.of(process));
        b.stage(o.text("stage"));
        Integer probability = o.integer("probability");
        if (probability != null) {
            b.probability(probability);
        }
        CurrencyUnit currency = o.currency("currency");
        if (currency != null) {
            b.currency(currency);
        }
        b.budget(o.money("budget"));
        b.amount(o.money("amount"));
        b.createdAt(o.instant("createdAt"));
        b.expectedCloseDate(o.date("expectedCloseDate"));
        b.tactic(o.text("tactic"));
        b.competitors(o.list("competitors", ModelCodecs::readCompetitor));
        b.participants(o.list("participants", ModelCodecs::readParticipant));
        b.leads(o.list("leads", ModelCodecs::readLead));
        b.productLines(o.list("productLines", ModelCodecs::readProductLine));
        b.history(o.list("history", ModelCodecs::readHistoryEntry));
        b.transitions(o.list("transitions", ModelCodecs::readTransition));
        for (String step : o.texts("completedSteps")) {
            b.completeStep(step);
        }
        b.changes(o.list("changes", ModelCodecs::readChange));
        b.closeInfo(o.value("closeInfo", ModelCodecs::readCloseInfo));
        b.forecastCategory(o.enumValue("forecastCategory", ForecastCategory.class));
        Long version = o.longValue("version");
        b.version(version == null ? 0 : version);
        Opportunity opp = b.build();
        // "status" is derived from the stage; it is written for readers of the JSON and, when
        // present, must agree with the stage so a hand-edited file cannot say two things.
        OpportunityStatus status = o.enumValue("status", OpportunityStatus.class);
        ValidationException.require(status == null || status == opp.status(), o.field("status"), status,
                "the status of stage " + opp.stage() + ": " + opp.status());
        return opp;
    }

    private static ManagerId managerId(String value) {
        return value == null ? null : ManagerId.of(value);
    }

    // ---- processes -----------------------------------------------------------------------

    static void writeStep(Step s, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("code", s.code());
        g.writeStringField("name", s.name());
        g.writeBooleanField("required", s.required());
        g.writeEndObject();
    }

    static Step readStep(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "code", "name", "required");
        return new Step(o.text("code"), o.text("name"), o.bool("required", false));
    }

    static void writeStage(Stage s, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("code", s.code());
        g.writeStringField("name", s.name());
        g.writeStringField("kind", s.kind().name());
        g.writeNumberField("defaultProbability", s.defaultProbability());
        arrayField(g, "steps", s.steps(), ModelCodecs::writeStep);
        g.writeEndObject();
    }

    static Stage readStage(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "code", "name", "kind", "defaultProbability", "steps");
        return new Stage(o.text("code"), o.text("name"), o.enumValue("kind", StageKind.class),
                o.requiredInt("defaultProbability"), o.list("steps", ModelCodecs::readStep));
    }

    static void writeProcess(SalesProcess p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", p.id().value());
        g.writeStringField("name", p.name());
        g.writeStringField("mode", p.mode().name());
        arrayField(g, "stages", p.stages(), ModelCodecs::writeStage);
        g.writeEndObject();
    }

    static SalesProcess readProcess(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "id", "name", "mode", "stages");
        String id = o.text("id");
        return new SalesProcess(id == null ? null : ProcessId.of(id), o.text("name"),
                o.enumValue("mode", ProcessMode.class), o.list("stages", ModelCodecs::readStage));
    }

    // ---- org structure -------------------------------------------------------------------

    static void writeOrgStructure(OrgStructure org, JsonGenerator g) throws IOException {
        g.writeStartObject();
        arrayField(g, "managers", org.managers(), (m, gen) -> {
            gen.writeStartObject();
            gen.writeStringField("id", m.id().value());
            gen.writeStringField("name", m.name());
            gen.writeEndObject();
        });
        arrayField(g, "units", org.units(), (u, gen) -> {
            gen.writeStartObject();
            gen.writeStringField("id", u.id().value());
            gen.writeStringField("name", u.name());
            gen.writeStringField("kind", u.kind().name());
            gen.writeEndObject();
        });
        arrayField(g, "unitLinks", org.unitLinks(), (l, gen) -> {
            gen.writeStartObject();
            gen.writeStringField("child", l.child().value());
            gen.writeStringField("parent", l.parent().value());
            gen.writeEndObject();
        });
        arrayField(g, "memberships", org.memberships(), (m, gen) -> {
            gen.writeStartObject();
            gen.writeStringField("manager", m.manager().value());
            gen.writeStringField("unit", m.unit().value());
            gen.writeEndObject();
        });
        g.writeEndObject();
    }

    static OrgStructure readOrgStructure(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "managers", "units", "unitLinks", "memberships");
        List<Manager> managers = o.list("managers", (n, at) -> {
            JsonIn m = JsonIn.object(n, at, "id", "name");
            return new Manager(managerId(m.text("id")), m.text("name"));
        });
        List<OrgUnit> units = o.list("units", (n, at) -> {
            JsonIn u = JsonIn.object(n, at, "id", "name", "kind");
            String kind = u.text("kind");
            return new OrgUnit(unitId(u.text("id")), u.text("name"), kind == null ? null : UnitKind.of(kind));
        });
        List<UnitLink> links = o.list("unitLinks", (n, at) -> {
            JsonIn l = JsonIn.object(n, at, "child", "parent");
            return new UnitLink(unitId(l.text("child")), unitId(l.text("parent")));
        });
        List<Membership> memberships = o.list("memberships", (n, at) -> {
            JsonIn m = JsonIn.object(n, at, "manager", "unit");
            return new Membership(managerId(m.text("manager")), unitId(m.text("unit")));
        });
        return OrgStructure.of(managers, units, links, memberships);
    }

    private static UnitId unitId(String value) {
        return value == null ? null : UnitId.of(value);
    }

    // ---- periods and plans ---------------------------------------------------------------

    static void writePeriod(Period p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", p.type().name());
        g.writeStringField("start", p.start().toString());
        g.writeStringField("end", p.end().toString());
        g.writeStringField("label", p.label());
        g.writeEndObject();
    }

    static Period readPeriod(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "type", "start", "end", "label");
        return new Period(o.enumValue("type", PeriodType.class), o.date("start"), o.date("end"), o.text("label"));
    }

    static void writePlan(SalesPlan p, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("node", p.node().key());
        g.writeFieldName("period");
        writePeriod(p.period(), g);
        moneyField(g, "target", p.target());
        g.writeEndObject();
    }

    static SalesPlan readPlan(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "node", "period", "target");
        return new SalesPlan(o.value("node", ModelCodecs::readOrgNode), o.value("period", ModelCodecs::readPeriod),
                o.money("target"));
    }

    // ---- dataset -------------------------------------------------------------------------

    /**
     * In a dataset of thousands of opportunities a model error must say which one: the
     * model names its own field ("probability"), this adds where the value sits
     * ("opportunities[3].probability"). Errors found while reading JSON carry their path already.
     */
    private static <T> JsonIn.Reader<T> located(JsonIn.Reader<T> reader) {
        return (node, at) -> {
            try {
                return reader.read(node, at);
            } catch (ValidationException e) {
                throw e.field().startsWith(at) ? e : e.at(at);
            }
        };
    }

    static void writeDataset(Dataset d, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("formatVersion", DATASET_FORMAT_VERSION);
        arrayField(g, "processes", d.processes(), ModelCodecs::writeProcess);
        g.writeFieldName("orgStructure");
        writeOrgStructure(d.orgStructure(), g);
        arrayField(g, "plans", d.plans(), ModelCodecs::writePlan);
        arrayField(g, "opportunities", d.opportunities(), ModelCodecs::writeOpportunity);
        g.writeEndObject();
    }

    /**
     * Reads a dataset and checks it as a whole: process ids and opportunity ids are unique,
     * and every opportunity conforms to its process from the same dataset. Every error names
     * the path of the bad value in the dataset.
     */
    static Dataset readDataset(JsonNode node, String path) {
        JsonIn o = JsonIn.object(node, path, "formatVersion", "processes", "orgStructure", "plans", "opportunities");
        Integer format = o.integer("formatVersion");
        ValidationException.require(format == null || format == DATASET_FORMAT_VERSION, o.field("formatVersion"),
                format, "format version " + DATASET_FORMAT_VERSION);
        List<SalesProcess> processes = o.list("processes", located(ModelCodecs::readProcess));
        Map<ProcessId, SalesProcess> byId = new HashMap<>();
        for (int i = 0; i < processes.size(); i++) {
            SalesProcess p = processes.get(i);
            ValidationException.require(byId.put(p.id(), p) == null, o.field("processes") + "[" + i + "].id", p.id(),
                    "a process id used once");
        }
        OrgStructure org = o.value("orgStructure", located(ModelCodecs::readOrgStructure));
        List<SalesPlan> plans = o.list("plans", located(ModelCodecs::readPlan));
        List<Opportunity> opportunities = o.list("opportunities", located(ModelCodecs::readOpportunity));
        Set<OpportunityId> ids = new HashSet<>();
        for (int i = 0; i < opportunities.size(); i++) {
            Opportunity opp = opportunities.get(i);
            String at = o.field("opportunities") + "[" + i + "]";
            ValidationException.require(ids.add(opp.id()), at + ".id", opp.id(), "an opportunity id used once");
            SalesProcess process = byId.get(opp.processId());
            ValidationException.require(process != null, at + ".processId", opp.processId(),
                    "the id of a process in the dataset " + new ArrayList<>(byId.keySet()));
            try {
                opp.requireConformsTo(process);
            } catch (ValidationException e) {
                throw e.at(at);
            }
        }
        return new Dataset(processes, org == null ? OrgStructure.empty() : org, plans, opportunities);
    }
}
