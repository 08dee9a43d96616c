package org.crmkit.core;

import java.util.List;

/** Ready-made sales processes. */
public final class SalesProcesses {
    /** Id of the reference corporate-sales process. */
    public static final ProcessId CORPORATE_SALES = ProcessId.of("corporate-sales");

    /** Code of the stage "Qualification (determine potential)". */
    public static final String QUALIFICATION = "QUALIFICATION";
    /** Code of the stage "Key contacts". */
    public static final String KEY_CONTACTS = "KEY_CONTACTS";
    /** Code of the stage "Proposal preparation". */
    public static final String PROPOSAL_PREPARATION = "PROPOSAL_PREPARATION";
    /** Code of the stage "Proposal presentation". */
    public static final String PROPOSAL_PRESENTATION = "PROPOSAL_PRESENTATION";
    /** Code of the stage "Closing". */
    public static final String CLOSING = "CLOSING";

    private SalesProcesses() {
    }

    /**
     * The reference corporate-sales process, guided ({@link ProcessMode#BY_PROCESS}):
     * Qualification (determine potential, 10 %) → Key contacts (25 %) → Proposal
     * preparation (40 %) → Proposal presentation (60 %) → Closing (80 %) → Won | Lost.
     *
     * @return the process
     */
    public static SalesProcess corporateSales() {
        return corporateSales(ProcessMode.BY_PROCESS);
    }

    /**
     * The reference corporate-sales process with the given mode.
     *
     * @param mode the process mode
     * @return the process
     */
    public static SalesProcess corporateSales(ProcessMode mode) {
        return SalesProcess.of(CORPORATE_SALES, "Corporate sales", mode, List.of(
                Stage.open(QUALIFICATION, "Qualification (determine potential)", 10,
                        Step.required("qualify-need", "Confirm the client's need"),
                        Step.required("qualify-budget", "Establish the budget"),
                        Step.optional("qualify-timeline", "Agree the decision timeline")),
                Stage.open(KEY_CONTACTS, "Key contacts", 25,
                        Step.required("contacts-decision-maker", "Identify the decision maker"),
                        Step.optional("contacts-champion", "Find a champion")),
                Stage.open(PROPOSAL_PREPARATION, "Proposal preparation", 40,
                        Step.required("proposal-draft", "Draft the proposal"),
                        Step.optional("proposal-review", "Review the proposal internally")),
                Stage.open(PROPOSAL_PRESENTATION, "Proposal presentation", 60,
                        Step.required("presentation-held", "Present the proposal to the decision makers")),
                Stage.open(CLOSING, "Closing", 80,
                        Step.required("closing-terms", "Agree the commercial terms"),
                        Step.optional("closing-contract", "Send the contract"))));
    }
}
