package org.crmkit.funnel;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.ManagerId;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.StageTransition;
import org.crmkit.core.money.Amounts;

/** A small DSL for opportunities with a stage history, dates at noon UTC. */
final class Opps {
    static final SalesProcess PROCESS = SalesProcesses.corporateSales();
    static final String Q = SalesProcesses.QUALIFICATION;
    static final String KC = SalesProcesses.KEY_CONTACTS;
    static final String PP = SalesProcesses.PROPOSAL_PREPARATION;
    static final String PR = SalesProcesses.PROPOSAL_PRESENTATION;
    static final String CL = SalesProcesses.CLOSING;

    private final String id;
    private final String owner;
    private final Instant created;
    private String currency = "EUR";
    private String amount = "1000.00";
    private int probability = 10;
    private final List<StageTransition> transitions = new ArrayList<>();
    private String current;
    private CloseInfo close;
    private String client = "c1";

    private Opps(String id, String owner, String createdDay) {
        this.id = id;
        this.owner = owner;
        this.created = at(createdDay);
        transitions.add(new StageTransition(null, Q, created, ManagerId.of(owner)));
        current = Q;
    }

    static Opps opp(String id, String owner, String createdDay) {
        return new Opps(id, owner, createdDay);
    }

    static Instant at(String day) {
        return LocalDate.parse(day).atTime(12, 0).toInstant(ZoneOffset.UTC);
    }

    Opps amount(String value, String cur) {
        this.amount = value;
        this.currency = cur;
        return this;
    }

    Opps noAmount() {
        this.amount = null;
        return this;
    }

    Opps probability(int p) {
        this.probability = p;
        return this;
    }

    Opps client(String c) {
        this.client = c;
        return this;
    }

    Opps to(String stage, String day) {
        transitions.add(new StageTransition(current, stage, at(day), ManagerId.of(owner)));
        current = stage;
        // moving to an open stage (a reopen after a close) leaves no close data
        close = null;
        return this;
    }

    Opps won(String day, String revenue) {
        to(SalesProcess.WON, day);
        close = CloseInfo.won(LocalDate.parse(day), Amounts.of(revenue, currency), "price");
        return this;
    }

    Opps lost(String day, String reason, String competitor) {
        to(SalesProcess.LOST, day);
        close = CloseInfo.lost(LocalDate.parse(day), reason, competitor);
        return this;
    }

    Opportunity build() {
        Opportunity.Builder b = Opportunity.builder().id(id).title("Deal " + id)
                .client(ClientRef.account(client, "Client " + client)).owner(ManagerId.of(owner))
                .processId(PROCESS.id()).stage(current).probability(probability).currency(currency)
                .createdAt(created).expectedCloseDate(LocalDate.ofInstant(created, ZoneOffset.UTC).plusDays(90))
                .transitions(transitions).closeInfo(close);
        if (amount != null) {
            b.amount(Amounts.of(amount, currency));
        }
        return b.build();
    }
}
