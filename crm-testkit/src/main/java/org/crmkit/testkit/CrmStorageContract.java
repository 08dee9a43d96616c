package org.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.money.MonetaryAmount;
import org.crmkit.core.BatchValidationException;
import org.crmkit.core.ClientRef;
import org.crmkit.core.CloseInfo;
import org.crmkit.core.Competitor;
import org.crmkit.core.ConcurrentUpdateException;
import org.crmkit.core.ContactId;
import org.crmkit.core.Attitude;
import org.crmkit.core.Dataset;
import org.crmkit.core.DecisionRole;
import org.crmkit.core.FieldChange;
import org.crmkit.core.FiscalCalendar;
import org.crmkit.core.HistoryEntry;
import org.crmkit.core.HistoryKind;
import org.crmkit.core.Lead;
import org.crmkit.core.ManagerId;
import org.crmkit.core.NotFoundException;
import org.crmkit.core.Opportunity;
import org.crmkit.core.OpportunityId;
import org.crmkit.core.OpportunityStatus;
import org.crmkit.core.OrgNodeId;
import org.crmkit.core.OrgStructure;
import org.crmkit.core.Participant;
import org.crmkit.core.Period;
import org.crmkit.core.PeriodType;
import org.crmkit.core.ProcessId;
import org.crmkit.core.ProcessMode;
import org.crmkit.core.ProductLine;
import org.crmkit.core.Rejection;
import org.crmkit.core.SalesPlan;
import org.crmkit.core.SalesProcess;
import org.crmkit.core.SalesProcesses;
import org.crmkit.core.Stage;
import org.crmkit.core.StageTransition;
import org.crmkit.core.StoreLimits;
import org.crmkit.core.TrackedField;
import org.crmkit.core.UnitId;
import org.crmkit.core.UnitKind;
import org.crmkit.core.ValidationException;
import org.crmkit.core.money.Amounts;
import org.crmkit.core.spi.BatchMode;
import org.crmkit.core.spi.CrmStorage;
import org.crmkit.core.spi.InsertResult;
import org.crmkit.core.spi.OpportunityQuery;
import org.crmkit.core.spi.OpportunityRepository;
import org.crmkit.core.spi.UpsertConflict;
import org.crmkit.core.spi.UpsertMode;
import org.crmkit.core.spi.UpsertResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link CrmStorage} implementation must meet, as a JUnit 5 suite (in the
 * manner of Micrometer's {@code MeterRegistryCompatibilityKit}). An implementation proves
 * itself with one subclass:
 *
 * <pre>{@code
 * class MyStorageContractTest extends CrmStorageContract {
 *     @Override
 *     protected CrmStorage createStorage() {
 *         return new MyStorage(...);   // fresh and empty for every test
 *     }
 * }
 * }</pre>
 *
 * <p>The suite calls {@link #createStorage()} before each test and closes the store after it.
 * The tests cover: whole-aggregate round trips (every child collection, close data, forecast
 * category, exact money and decimal scales, verbatim texts), optimistic locking (version 1
 * on insert, +1 per update, stale updates and deletes rejected without writing, exactly one
 * winner among concurrent updates), validation against the stored process (nothing written
 * on failure), all-or-nothing batches, filtered and id-ordered streams and counts, processes,
 * the org structure DAG, and plans.
 *
 * <p>Equality is the model's: records compare {@link BigDecimal}s with {@code equals}, so a
 * store must give back quantities, discounts and hours with the scale they were written with,
 * lists in the order they were written, instants to the millisecond at least, and texts of
 * any length verbatim (the suite writes 20,000 characters of mixed scripts). Errors follow
 * the SPI: a taken id or a broken rule is a {@link ValidationException}, a version conflict
 * (including an update of a deleted or never stored opportunity) a
 * {@link ConcurrentUpdateException}, a delete of an absent one a {@link NotFoundException}.
 * Test methods
 * are package-private (they are not API); a subclass adds store-specific tests with the
 * protected helpers, e.g. {@link #opportunities()}, {@link #givenReferenceProcess()} and the
 * factories of {@link Fixtures}.
 */
public abstract class CrmStorageContract {
    /** Texts that break naive SQL, CSV, JSON or escaping code; a store keeps them verbatim. */
    protected static final List<String> HOSTILE_TEXTS = List.of(
            "'; DROP TABLE opportunity; --",
            "Robert'); DROP TABLE students;--",
            "\"double\" and 'single' quotes, `backticks`",
            "semi;colon;separated;values;",
            "back\\slash \\n not a newline, \\\\ two, trailing \\",
            "Zürich – Ærøskøbing – 東京 – Ελληνικά – Привет – 🚀",
            "line one\nline two\r\n\ttabbed",
            "100% _wildcard_ LIKE '%' ESCAPE '\\'",
            "?, $1, :name, {placeholder}, ${expr}, %s",
            "  leading and trailing spaces  ",
            "<tag attr=\"x\">&amp;</tag> /* comment */ # hash");

    private static final ManagerId M1 = ManagerId.of("m1");
    private static final ManagerId M2 = ManagerId.of("m2");
    private static final ManagerId M3 = ManagerId.of("m3");

    private CrmStorage storage;

    /**
     * Creates the store under test: a fresh, empty one for every test. The suite closes it
     * after the test.
     *
     * @return an empty store
     */
    protected abstract CrmStorage createStorage();

    /** Creates the store for the next test. */
    @BeforeEach
    final void openStorage() {
        storage = createStorage();
        assertThat(storage).as("createStorage() result").isNotNull();
    }

    /** Closes the store of the test that ran. */
    @AfterEach
    final void closeStorage() {
        if (storage != null) {
            storage.close();
            storage = null;
        }
    }

    /**
     * The store of the running test.
     *
     * @return the store made by {@link #createStorage()} for this test
     */
    protected final CrmStorage storage() {
        return storage;
    }

    /**
     * The opportunity repository of the running test's store.
     *
     * @return the repository
     */
    protected final OpportunityRepository opportunities() {
        return storage.opportunities();
    }

    /**
     * Saves the reference corporate-sales process, which every {@link Fixtures} opportunity
     * belongs to.
     *
     * @return the saved process
     */
    protected final SalesProcess givenReferenceProcess() {
        SalesProcess process = Fixtures.process();
        storage.processes().save(process);
        return process;
    }

    /**
     * A second, small process (FREE mode, stages CALL and DEMO) to tell processes apart.
     *
     * @return the process with id {@code inside-sales}
     */
    protected static SalesProcess insideSalesProcess() {
        return SalesProcess.of(ProcessId.of("inside-sales"), "Inside sales", ProcessMode.FREE,
                List.of(Stage.open("CALL", "Call", 20), Stage.open("DEMO", "Demo", 50)));
    }

    /**
     * What a store returns for an opportunity inserted at version 0.
     *
     * @param written the opportunity as written
     * @param version the version the store assigned
     * @return the same opportunity carrying the version
     */
    protected static Opportunity atVersion(Opportunity written, long version) {
        return written.toBuilder().version(version).build();
    }

    /**
     * A valid opportunity of a process with a status: open at the first stage, or moved from
     * the first stage to WON or LOST a day after creation with matching close data.
     *
     * @param id the id
     * @param owner the owner
     * @param process the process
     * @param status the status
     * @return the opportunity, version 0
     */
    protected static Opportunity opportunity(String id, ManagerId owner, SalesProcess process,
            OpportunityStatus status) {
        String first = process.firstStage().code();
        Opportunity.Builder b = Fixtures.minimal(id, owner).processId(process.id()).stage(first)
                .amount(Amounts.of("1000.00", "EUR"));
        if (status == OpportunityStatus.OPEN) {
            return b.build();
        }
        String terminal = status == OpportunityStatus.WON ? SalesProcess.WON : SalesProcess.LOST;
        LocalDate closed = LocalDate.of(2026, 1, 6);
        return b.stage(terminal)
                .probability(status == OpportunityStatus.WON ? 100 : 0)
                .transitions(List.of(
                        new StageTransition(null, first, Fixtures.CREATED_AT, owner),
                        new StageTransition(first, terminal, Fixtures.CREATED_AT.plus(Duration.ofDays(1)), owner)))
                .closeInfo(status == OpportunityStatus.WON
                        ? CloseInfo.won(closed, Amounts.of("990.00", "EUR"), "Good fit")
                        : CloseInfo.lost(closed, "No budget", null))
                .build();
    }

    private static List<String> ids(Stream<Opportunity> stream) {
        try (stream) {
            return stream.map(o -> o.id().value()).collect(Collectors.toList());
        }
    }

    private List<Opportunity> all() {
        try (Stream<Opportunity> s = opportunities().stream(OpportunityQuery.all())) {
            return s.collect(Collectors.toList());
        }
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void insertThenReadReturnsEqualOpportunityWithEveryChildAtVersion1() {
        givenReferenceProcess();
        for (Opportunity written : List.of(Fixtures.fullyPopulatedOpen("full-open"),
                Fixtures.fullyPopulatedWon("full-won"), Fixtures.fullyPopulatedLost("full-lost"))) {
            assertThat(written.competitors()).isNotEmpty();
            assertThat(written.participants()).isNotEmpty();
            assertThat(written.leads()).isNotEmpty();
            assertThat(written.productLines()).isNotEmpty();
            assertThat(written.history()).isNotEmpty();
            assertThat(written.transitions()).hasSizeGreaterThan(3);
            assertThat(written.completedSteps()).isNotEmpty();
            assertThat(written.forecastCategory()).isPresent();

            Opportunity stored = opportunities().insert(written);

            assertThat(stored.version()).isEqualTo(1);
            assertThat(stored).isEqualTo(atVersion(written, 1));
            Opportunity read = opportunities().findById(written.id()).orElseThrow();
            assertThat(read).isEqualTo(stored);
            assertThat(read.competitors()).containsExactlyElementsOf(written.competitors());
            assertThat(read.participants()).containsExactlyElementsOf(written.participants());
            assertThat(read.leads()).containsExactlyElementsOf(written.leads());
            assertThat(read.productLines()).containsExactlyElementsOf(written.productLines());
            assertThat(read.history()).containsExactlyElementsOf(written.history());
            assertThat(read.transitions()).containsExactlyElementsOf(written.transitions());
            assertThat(read.completedSteps()).containsExactlyInAnyOrderElementsOf(written.completedSteps());
            assertThat(read.closeInfo()).isEqualTo(written.closeInfo());
            assertThat(read.forecastCategory()).isEqualTo(written.forecastCategory());
            assertThat(read.createdAt()).isEqualTo(written.createdAt());
            assertThat(read.status()).isEqualTo(written.status());
        }
    }

    @Test
    void minimalOpportunityRoundTripsWithEmptyOptionalValues() {
        givenReferenceProcess();
        Opportunity written = Fixtures.minimal("minimal");

        opportunities().insert(written);

        Opportunity read = opportunities().get(written.id());
        assertThat(read).isEqualTo(atVersion(written, 1));
        assertThat(read.amount()).isEmpty();
        assertThat(read.budget()).isEmpty();
        assertThat(read.tactic()).isEmpty();
        assertThat(read.closeInfo()).isEmpty();
        assertThat(read.forecastCategory()).isEmpty();
        assertThat(read.client()).isEqualTo(written.client());
    }

    @Test
    void contactClientRoundTrips() {
        givenReferenceProcess();
        Opportunity written = Fixtures.minimal("contact", M1).client(ClientRef.contact("c-77", "Jana Novak")).build();

        opportunities().insert(written);

        assertThat(opportunities().get(written.id()).client()).isEqualTo(written.client());
    }

    @Test
    void findOfAbsentIdIsEmptyAndGetThrowsNotFound() {
        givenReferenceProcess();
        opportunities().insert(Fixtures.minimal("present"));

        assertThat(opportunities().findById(OpportunityId.of("absent"))).isEmpty();
        assertThatThrownBy(() -> opportunities().get(OpportunityId.of("absent")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void ownerOfIsTheStoredOwnerFollowsAnUpdateAndIsEmptyForAnAbsentOrDeletedId() {
        givenReferenceProcess();
        Opportunity v1 = opportunities().insert(Fixtures.minimal("owned"));
        assertThat(opportunities().ownerOf(v1.id())).contains(v1.owner());
        Opportunity v2 = opportunities().update(v1.toBuilder().owner(org.crmkit.core.ManagerId.of("someone-else")).build());
        assertThat(opportunities().ownerOf(v1.id())).contains(org.crmkit.core.ManagerId.of("someone-else"));
        assertThat(opportunities().ownerOf(OpportunityId.of("absent"))).isEmpty();
        opportunities().delete(v2.id(), v2.version());
        assertThat(opportunities().ownerOf(v1.id())).isEmpty();
    }

    // ---------------------------------------------------------------- optimistic locking

    @Test
    void updateIncrementsTheVersionAndStoresTheChange() {
        givenReferenceProcess();
        Opportunity v1 = opportunities().insert(Fixtures.fullyPopulatedOpen("opp"));

        Opportunity v2 = opportunities().update(v1.toBuilder().title("Renamed").probability(70).build());
        Opportunity v3 = opportunities().update(v2.toBuilder().amount(Amounts.of("99.99", "EUR")).build());

        assertThat(v2.version()).isEqualTo(2);
        assertThat(v3.version()).isEqualTo(3);
        Opportunity read = opportunities().get(v1.id());
        assertThat(read).isEqualTo(v3);
        assertThat(read.title()).isEqualTo("Renamed");
        assertThat(read.probability()).isEqualTo(70);
        assertThat(read.amount()).contains(Amounts.of("99.99", "EUR"));
    }

    @Test
    void saveInsertsAtVersionZeroAndUpdatesOtherwise() {
        givenReferenceProcess();

        Opportunity v1 = opportunities().save(Fixtures.minimal("opp"));
        Opportunity v2 = opportunities().save(v1.toBuilder().title("Again").build());

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(opportunities().get(v1.id())).isEqualTo(v2);
    }

    @Test
    void updateReplacesChildCollectionsWhole() {
        givenReferenceProcess();
        Opportunity v1 = opportunities().insert(Fixtures.fullyPopulatedOpen("opp"));
        Opportunity changed = v1.toBuilder()
                .competitors(List.of(v1.competitors().get(1), new Competitor("Initech", "Speed", "Support")))
                .participants(List.of())
                .leads(List.of(new Lead("lead-9", "New need")))
                .productLines(List.of())
                .addHistory(new HistoryEntry("h-7", HistoryKind.COMMENT, Fixtures.CREATED_AT.plus(Duration.ofDays(15)),
                        Fixtures.COLLEAGUE, "Price agreed", ""))
                .completedSteps(List.of("qualify-need"))
                .forecastCategory(null)
                .budget(null)
                .tactic("")
                .build();

        Opportunity v2 = opportunities().update(changed);

        assertThat(v2).isEqualTo(atVersion(changed, 2));
        Opportunity read = opportunities().get(v1.id());
        assertThat(read).isEqualTo(v2);
        assertThat(read.participants()).isEmpty();
        assertThat(read.productLines()).isEmpty();
        assertThat(read.competitors()).extracting(Competitor::name).containsExactly("Globex Learning", "Initech");
        assertThat(read.history()).hasSize(7);
        assertThat(read.completedSteps()).containsExactly("qualify-need");
        assertThat(read.forecastCategory()).isEmpty();
        assertThat(read.budget()).isEmpty();
    }

    @Test
    void closingAnOpportunityByUpdateStoresTransitionsAndCloseInfo() {
        givenReferenceProcess();
        Opportunity v1 = opportunities().insert(Fixtures.fullyPopulatedOpen("full"));
        Opportunity won = Fixtures.fullyPopulatedWon("full");

        Opportunity v2 = opportunities().update(won.toBuilder().version(v1.version()).build());

        Opportunity read = opportunities().get(v1.id());
        assertThat(read).isEqualTo(v2);
        assertThat(read.status()).isEqualTo(OpportunityStatus.WON);
        assertThat(read.transitions()).containsExactlyElementsOf(won.transitions());
        assertThat(read.closeInfo()).isEqualTo(won.closeInfo());
    }

    @Test
    void staleUpdateThrowsConcurrentUpdateAndLeavesTheStoredCopyUnchanged() {
        givenReferenceProcess();
        Opportunity v1 = opportunities().insert(Fixtures.fullyPopulatedOpen("opp"));
        Opportunity v2 = opportunities().update(v1.toBuilder().title("First writer").build());

        assertThatThrownBy(() -> opportunities().update(v1.toBuilder().title("Second writer")
                .competitors(List.of()).build()))
                .isInstanceOf(ConcurrentUpdateException.class)
                .satisfies(e -> {
                    ConcurrentUpdateException cue = (ConcurrentUpdateException) e;
                    assertThat(cue.expectedVersion()).isEqualTo(1);
                    assertThat(cue.actualVersion()).isEqualTo(2);
                });

        assertThat(opportunities().get(v1.id())).isEqualTo(v2);
    }

    @Test
    void updateFromAFutureVersionIsRejected() {
        givenReferenceProcess();
        Opportunity v1 = opportunities().insert(Fixtures.minimal("opp"));

        assertThatThrownBy(() -> opportunities().update(v1.toBuilder().version(5).title("Forged").build()))
                .isInstanceOf(ConcurrentUpdateException.class);

        assertThat(opportunities().get(v1.id())).isEqualTo(v1);
    }

    @Test
    void updateOfADeletedOpportunityIsRejectedAndDoesNotRecreateIt() {
        givenReferenceProcess();
        Opportunity v1 = opportunities().insert(Fixtures.minimal("opp"));
        opportunities().delete(v1.id(), 1);

        assertThatThrownBy(() -> opportunities().update(v1.toBuilder().title("Zombie").build()))
                .isInstanceOf(ConcurrentUpdateException.class);

        assertThat(opportunities().findById(v1.id())).isEmpty();
        assertThat(opportunities().count(OpportunityQuery.all())).isZero();
    }

    @Test
    void updateOfANeverStoredOpportunityIsRejectedAndDoesNotCreateIt() {
        givenReferenceProcess();
        Opportunity unknown = Fixtures.minimal("never-stored", M1).version(1).build();

        assertThatThrownBy(() -> opportunities().update(unknown)).isInstanceOf(ConcurrentUpdateException.class);

        assertThat(opportunities().findById(unknown.id())).isEmpty();
    }

    @Test
    void deleteWithTheCurrentVersionRemovesTheOpportunity() {
        givenReferenceProcess();
        Opportunity v1 = opportunities().insert(Fixtures.fullyPopulatedWon("gone"));
        Opportunity kept = opportunities().insert(Fixtures.minimal("kept"));
        Opportunity v2 = opportunities().update(v1.toBuilder().title("Changed").build());

        opportunities().delete(v2.id(), 2);

        assertThat(opportunities().findById(v2.id())).isEmpty();
        assertThat(all()).containsExactly(kept);
    }

    @Test
    void deleteWithAStaleVersionIsRejectedAndKeepsTheOpportunity() {
        givenReferenceProcess();
        Opportunity v1 = opportunities().insert(Fixtures.minimal("opp"));
        Opportunity v2 = opportunities().update(v1.toBuilder().title("Changed").build());

        assertThatThrownBy(() -> opportunities().delete(v1.id(), 1)).isInstanceOf(ConcurrentUpdateException.class);

        assertThat(opportunities().get(v1.id())).isEqualTo(v2);
    }

    @Test
    void deleteOfAnAbsentOpportunityThrowsNotFound() {
        givenReferenceProcess();

        assertThatThrownBy(() -> opportunities().delete(OpportunityId.of("absent"), 1))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void insertAfterDeleteStartsAgainAtVersion1() {
        givenReferenceProcess();
        Opportunity v1 = opportunities().insert(Fixtures.minimal("opp"));
        opportunities().delete(v1.id(), 1);

        Opportunity again = opportunities().insert(Fixtures.fullyPopulatedOpen("opp"));

        assertThat(again.version()).isEqualTo(1);
        assertThat(opportunities().get(v1.id())).isEqualTo(again);
    }

    @Test
    void insertWithATakenIdIsRejectedAndKeepsTheStoredOne() {
        givenReferenceProcess();
        Opportunity first = opportunities().insert(Fixtures.minimal("opp"));

        assertThatThrownBy(() -> opportunities().insert(Fixtures.fullyPopulatedOpen("opp")))
                .isInstanceOf(ValidationException.class);

        assertThat(opportunities().get(first.id())).isEqualTo(first);
        assertThat(opportunities().count(OpportunityQuery.all())).isEqualTo(1);
    }

    @Test
    void insertWithAVersionOtherThanZeroIsRejected() {
        givenReferenceProcess();
        Opportunity versioned = Fixtures.minimal("opp", M1).version(3).build();

        assertThatThrownBy(() -> opportunities().insert(versioned)).isInstanceOf(ValidationException.class);

        assertThat(opportunities().findById(versioned.id())).isEmpty();
    }

    @Test
    void concurrentUpdatesFromTheSameVersionHaveExactlyOneWinnerAndNoLostUpdate() throws Exception {
        givenReferenceProcess();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                Opportunity v1 = opportunities().insert(Fixtures.fullyPopulatedOpen("race-" + round));
                Opportunity a = v1.toBuilder().title("Writer A").probability(30).competitors(List.of()).build();
                Opportunity b = v1.toBuilder().title("Writer B").probability(90)
                        .addLead(new Lead("lead-b", "Need of B")).build();
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Opportunity> fa = pool.submit(racer(start, a));
                Future<Opportunity> fb = pool.submit(racer(start, b));

                List<Opportunity> winners = new ArrayList<>();
                List<Throwable> losers = new ArrayList<>();
                for (Future<Opportunity> f : List.of(fa, fb)) {
                    try {
                        winners.add(f.get(60, TimeUnit.SECONDS));
                    } catch (ExecutionException e) {
                        losers.add(e.getCause());
                    }
                }

                assertThat(winners).as("round %d winners", round).hasSize(1);
                assertThat(losers).as("round %d losers", round).singleElement()
                        .isInstanceOf(ConcurrentUpdateException.class);
                Opportunity winner = winners.get(0);
                assertThat(winner.version()).isEqualTo(2);
                Opportunity expected = "Writer A".equals(winner.title()) ? a : b;
                assertThat(winner).isEqualTo(atVersion(expected, 2));
                assertThat(opportunities().get(v1.id())).isEqualTo(winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Callable<Opportunity> racer(CyclicBarrier start, Opportunity change) {
        return () -> {
            start.await(30, TimeUnit.SECONDS);
            return opportunities().update(change);
        };
    }

    // ---------------------------------------------------------------- validation

    @Test
    void opportunityOfAnUnknownProcessIsRejectedAndNothingIsWritten() {
        givenReferenceProcess();
        Opportunity orphan = Fixtures.minimal("orphan", M1).processId(ProcessId.of("no-such-process")).build();

        assertThatThrownBy(() -> opportunities().insert(orphan)).isInstanceOf(ValidationException.class);

        assertThat(opportunities().findById(orphan.id())).isEmpty();
        assertThat(opportunities().count(OpportunityQuery.all())).isZero();
    }

    @Test
    void opportunityIsRejectedWhenNoProcessIsStoredAtAll() {
        Opportunity opp = Fixtures.minimal("opp");

        assertThatThrownBy(() -> opportunities().insert(opp)).isInstanceOf(ValidationException.class);

        assertThat(opportunities().findById(opp.id())).isEmpty();
    }

    @Test
    void opportunityAtAnUnknownStageIsRejectedAndNothingIsWritten() {
        givenReferenceProcess();
        Opportunity atUnknown = Fixtures.minimal("bad-stage", M1).stage("NEGOTIATION").build();

        assertThatThrownBy(() -> opportunities().insert(atUnknown))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).value()).contains("NEGOTIATION"));

        assertThat(opportunities().findById(atUnknown.id())).isEmpty();
        assertThat(opportunities().count(OpportunityQuery.all())).isZero();
    }

    @Test
    void unknownStageInTheHistoryIsRejected() {
        givenReferenceProcess();
        Opportunity opp = Fixtures.minimal("bad-history", M1)
                .transitions(List.of(
                        new StageTransition(null, "GHOST", Fixtures.CREATED_AT, M1),
                        new StageTransition("GHOST", SalesProcesses.QUALIFICATION,
                                Fixtures.CREATED_AT.plusSeconds(60), M1)))
                .build();

        assertThatThrownBy(() -> opportunities().insert(opp)).isInstanceOf(ValidationException.class);

        assertThat(opportunities().findById(opp.id())).isEmpty();
    }

    @Test
    void unknownCompletedStepIsRejected() {
        givenReferenceProcess();
        Opportunity opp = Fixtures.minimal("bad-step", M1).completeStep("no-such-step").build();

        assertThatThrownBy(() -> opportunities().insert(opp)).isInstanceOf(ValidationException.class);

        assertThat(opportunities().findById(opp.id())).isEmpty();
    }

    @Test
    void updateToAnUnknownStageIsRejectedAndTheStoredCopyIsUnchanged() {
        givenReferenceProcess();
        Opportunity v1 = opportunities().insert(Fixtures.fullyPopulatedOpen("opp"));
        Opportunity bad = v1.toBuilder()
                .addTransition(new StageTransition(SalesProcesses.PROPOSAL_PRESENTATION, "NEGOTIATION",
                        Fixtures.CREATED_AT.plus(Duration.ofDays(30)), M1))
                .stage("NEGOTIATION")
                .build();

        assertThatThrownBy(() -> opportunities().update(bad)).isInstanceOf(ValidationException.class);

        assertThat(opportunities().get(v1.id())).isEqualTo(v1);
    }

    @Test
    void opportunityIsCheckedAgainstItsOwnProcess() {
        givenReferenceProcess();
        storage().processes().save(insideSalesProcess());
        // CALL exists in inside-sales only; an opportunity of corporate-sales may not use it.
        Opportunity mixed = Fixtures.minimal("mixed", M1).stage("CALL").build();
        Opportunity fine = Fixtures.minimal("fine", M1).processId(ProcessId.of("inside-sales")).stage("CALL").build();

        assertThatThrownBy(() -> opportunities().insert(mixed)).isInstanceOf(ValidationException.class);
        opportunities().insert(fine);

        assertThat(ids(opportunities().stream(OpportunityQuery.all()))).containsExactly("fine");
    }

    // ---------------------------------------------------------------- batches

    @Test
    void insertAllStoresEveryOpportunityAtVersion1() {
        givenReferenceProcess();
        List<Opportunity> batch = List.of(Fixtures.fullyPopulatedWon("b1"), Fixtures.fullyPopulatedLost("b2"),
                Fixtures.minimal("b3"));

        long stored = opportunities().insertAll(batch);

        assertThat(stored).isEqualTo(3);
        assertThat(all()).containsExactly(atVersion(batch.get(0), 1), atVersion(batch.get(1), 1),
                atVersion(batch.get(2), 1));
    }

    @Test
    void insertAllWithOneInvalidAmongManyStoresNone() {
        givenReferenceProcess();
        Opportunity existing = opportunities().insert(Fixtures.minimal("existing"));
        List<Opportunity> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String id = String.format("batch-%03d", i);
            batch.add(i == 57
                    ? Fixtures.minimal(id, M1).stage("NO_SUCH_STAGE").build()
                    : (i % 10 == 0 ? Fixtures.fullyPopulatedOpen(id) : Fixtures.minimal(id)));
        }

        assertThatThrownBy(() -> opportunities().insertAll(batch)).isInstanceOfSatisfying(
                BatchValidationException.class, e -> {
                    assertThat(e.rejections()).hasSize(1);
                    assertThat(e.rejections().get(0).index()).isEqualTo(57);
                    assertThat(e.rejections().get(0).opportunityId()).isEqualTo(OpportunityId.of("batch-057"));
                    assertThat(e.getMessage()).contains("batch-057").contains("NO_SUCH_STAGE");
                });

        assertThat(opportunities().count(OpportunityQuery.all())).isEqualTo(1);
        assertThat(all()).containsExactly(existing);
        assertThat(opportunities().findById(OpportunityId.of("batch-000"))).isEmpty();
        assertThat(opportunities().findById(OpportunityId.of("batch-099"))).isEmpty();
    }

    @Test
    void insertAllWithATakenIdStoresNone() {
        givenReferenceProcess();
        Opportunity existing = opportunities().insert(Fixtures.minimal("b5"));
        List<Opportunity> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(Fixtures.fullyPopulatedOpen("b" + i));
        }

        assertThatThrownBy(() -> opportunities().insertAll(batch)).isInstanceOf(ValidationException.class);

        assertThat(all()).containsExactly(existing);
    }

    @Test
    void insertAllWithAnIdTwiceInTheBatchStoresNone() {
        givenReferenceProcess();
        List<Opportunity> batch = List.of(Fixtures.minimal("a"), Fixtures.minimal("b"), Fixtures.fullyPopulatedOpen("a"));

        assertThatThrownBy(() -> opportunities().insertAll(batch)).isInstanceOf(ValidationException.class);

        assertThat(opportunities().count(OpportunityQuery.all())).isZero();
    }

    @Test
    void insertAllWithAVersionedOpportunityStoresNone() {
        givenReferenceProcess();
        List<Opportunity> batch = List.of(Fixtures.minimal("a"), Fixtures.minimal("b", M1).version(2).build());

        assertThatThrownBy(() -> opportunities().insertAll(batch)).isInstanceOf(ValidationException.class);

        assertThat(opportunities().count(OpportunityQuery.all())).isZero();
    }

    @Test
    void insertAllReportsEveryInvalidOpportunityAtOnceEachWithItsIdAndField() {
        givenReferenceProcess();
        opportunities().insert(Fixtures.minimal("taken"));
        List<Opportunity> batch = List.of(Fixtures.minimal("ok-1"),
                Fixtures.minimal("bad-stage", M1).stage("NO_SUCH_STAGE").build(),
                Fixtures.fullyPopulatedOpen("taken"),
                Fixtures.minimal("ok-2"),
                Fixtures.minimal("versioned", M1).version(3).build(),
                Fixtures.minimal("ok-1"),
                Fixtures.minimal("no-process", M1).processId(ProcessId.of("unknown-process")).build());

        assertThatThrownBy(() -> opportunities().insertAll(batch)).isInstanceOfSatisfying(
                BatchValidationException.class, e -> {
                    assertThat(e.batchSize()).isEqualTo(7);
                    assertThat(e.rejections()).extracting(Rejection::index).containsExactly(1, 2, 4, 5, 6);
                    assertThat(e.rejections()).extracting(r -> r.opportunityId().value())
                            .containsExactly("bad-stage", "taken", "versioned", "ok-1", "no-process");
                    assertThat(e.rejections()).extracting(r -> r.failures().get(0).field())
                            .containsExactly("stage", "id", "version", "id", "processId");
                    for (Rejection r : e.rejections()) {
                        assertThat(e.getMessage()).contains(r.toString());
                    }
                });

        assertThat(ids(opportunities().stream(OpportunityQuery.all()))).containsExactly("taken");
    }

    @Test
    void storeValidModeStoresTheValidOpportunitiesAndReturnsTheRejects() {
        givenReferenceProcess();
        opportunities().insert(Fixtures.minimal("taken"));
        List<Opportunity> batch = List.of(Fixtures.minimal("ok-1"),
                Fixtures.minimal("bad-stage", M1).stage("NO_SUCH_STAGE").build(),
                Fixtures.fullyPopulatedWon("won"),
                Fixtures.fullyPopulatedOpen("taken"),
                Fixtures.minimal("ok-2"));

        InsertResult result = opportunities().insertAll(batch, BatchMode.STORE_VALID);

        assertThat(result.inserted()).isEqualTo(3);
        assertThat(result.rejections()).extracting(Rejection::index).containsExactly(1, 3);
        assertThat(result.rejections()).extracting(r -> r.opportunityId().value()).containsExactly("bad-stage", "taken");
        assertThat(result.rejections()).extracting(Rejection::source).containsExactly("batch[1]", "batch[3]");
        assertThat(ids(opportunities().stream(OpportunityQuery.all()))).containsExactly("ok-1", "ok-2", "taken", "won");
        assertThat(opportunities().get(OpportunityId.of("won"))).isEqualTo(atVersion(batch.get(2), 1));
        // nothing left to reject: all stored
        InsertResult clean = opportunities().insertAll(List.of(Fixtures.minimal("ok-3")), BatchMode.STORE_VALID);
        assertThat(clean.allInserted()).isTrue();
        assertThat(clean.inserted()).isEqualTo(1);
    }

    @Test
    void anOpportunityWithoutAClientRoundTrips() {
        givenReferenceProcess();
        Opportunity written = Fixtures.minimal("no-client", M1).client(null).build();

        opportunities().insert(written);

        assertThat(opportunities().get(written.id()).client()).isEmpty();
        assertThat(opportunities().get(written.id())).isEqualTo(atVersion(written, 1));
    }

    @Test
    void insertAllOfAnEmptyBatchStoresNothing() {
        givenReferenceProcess();

        assertThat(opportunities().insertAll(List.of())).isZero();
        assertThat(opportunities().count(OpportunityQuery.all())).isZero();
    }

    @Test
    void manyOpportunitiesInsertedTogetherStreamBackComplete() {
        givenReferenceProcess();
        int n = 2_000;
        List<Opportunity> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = String.format("bulk-%05d", i);
            ManagerId owner = ManagerId.of("m-" + (i % 7));
            batch.add(i % 100 == 0 ? Fixtures.fullyPopulatedOpen(id).toBuilder().owner(owner).build()
                    : Fixtures.minimal(id, owner).amount(Amounts.of(BigDecimal.valueOf(i * 101L + 7, 2),
                            Amounts.currency("EUR"))).build());
        }
        Collections.shuffle(batch, new Random(42));

        assertThat(opportunities().insertAll(batch)).isEqualTo(n);

        assertThat(opportunities().count(OpportunityQuery.all())).isEqualTo(n);
        List<Opportunity> read = all();
        assertThat(read).hasSize(n);
        assertThat(read).extracting(o -> o.id().value()).isSorted().doesNotHaveDuplicates();
        Map<OpportunityId, Opportunity> written = batch.stream()
                .collect(Collectors.toMap(Opportunity::id, Function.identity()));
        for (Opportunity o : read) {
            assertThat(o).isEqualTo(atVersion(written.get(o.id()), 1));
        }
        long ownedByM0 = batch.stream().filter(o -> o.owner().equals(ManagerId.of("m-0"))).count();
        assertThat(opportunities().count(OpportunityQuery.ownedBy(Set.of(ManagerId.of("m-0"))))).isEqualTo(ownedByM0);
    }

    @Test
    void aScopedStreamOfManyOpportunitiesEqualsTheWholeStoreFiltered() {
        givenReferenceProcess();
        List<Opportunity> batch = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            String id = String.format("sc-%05d", i);
            ManagerId owner = ManagerId.of("m-" + (i % 3));
            // every third deal fully populated, so children cross the chunks of a scoped read
            batch.add(i % 3 == 1 ? Fixtures.fullyPopulatedWon(id).toBuilder().owner(owner).build()
                    : Fixtures.minimal(id, owner).build());
        }
        opportunities().insertAll(batch);
        Set<ManagerId> scope = Set.of(ManagerId.of("m-1"), ManagerId.of("m-2"));

        List<Opportunity> scoped;
        try (Stream<Opportunity> s = opportunities().stream(OpportunityQuery.ownedBy(scope))) {
            scoped = s.toList();
        }

        assertThat(scoped).hasSize(1_000).isEqualTo(all().stream().filter(o -> scope.contains(o.owner())).toList());
    }

    // ---------------------------------------------------------------- upserts

    @Test
    void upsertAllInsertsTheNewUpdatesTheChangedAndLeavesTheUnchangedAlone() {
        givenReferenceProcess();
        Opportunity a = opportunities().insert(Fixtures.fullyPopulatedOpen("up-a"));
        Opportunity b = opportunities().insert(Fixtures.fullyPopulatedWon("up-b"));
        Opportunity c = opportunities().insert(Fixtures.fullyPopulatedLost("up-c"));
        Opportunity changedA = a.toBuilder().title("renamed in the source system").build();
        // only a child row differs: one participant fewer
        Opportunity changedC = c.toBuilder().participants(c.participants().subList(0, c.participants().size() - 1))
                .build();
        Opportunity d = Fixtures.minimal("up-d");

        UpsertResult result = opportunities().upsertAll(List.of(changedA, b, changedC, d), UpsertMode.CHECK_VERSIONS);

        assertThat(result).isEqualTo(new UpsertResult(1, 2, 1, List.of()));
        assertThat(result.size()).isEqualTo(4);
        assertThat(all()).containsExactly(atVersion(changedA, 2), b, atVersion(changedC, 2), atVersion(d, 1));
    }

    @Test
    void upsertAllOfWhatWasReadBackChangesNothing() {
        givenReferenceProcess();
        opportunities().insertAll(List.of(Fixtures.fullyPopulatedOpen("rb-1"), Fixtures.fullyPopulatedWon("rb-2"),
                Fixtures.fullyPopulatedLost("rb-3"), Fixtures.minimal("rb-4", M1).client(null).build()));
        List<Opportunity> before = all();

        UpsertResult checked = opportunities().upsertAll(before, UpsertMode.CHECK_VERSIONS);
        // a source that knows no versions sends version 0: the same content is still unchanged
        UpsertResult fromSource = opportunities().upsertAll(before.stream().map(o -> atVersion(o, 0)).toList(),
                UpsertMode.SOURCE_WINS);

        assertThat(checked).isEqualTo(new UpsertResult(0, 0, 4, List.of()));
        assertThat(fromSource).isEqualTo(new UpsertResult(0, 0, 4, List.of()));
        assertThat(all()).isEqualTo(before);
    }

    @Test
    void upsertAllReportsEveryVersionConflictAndWritesTheRestOfTheBatch() {
        givenReferenceProcess();
        Opportunity readAtOne = opportunities().insert(Fixtures.minimal("cf-stale"));
        Opportunity movedOn = opportunities().update(readAtOne.toBuilder().title("changed by a colleague").build());
        Opportunity stored = opportunities().insert(Fixtures.minimal("cf-taken"));
        Opportunity fine = opportunities().insert(Fixtures.minimal("cf-fine"));
        List<Opportunity> batch = List.of(
                readAtOne.toBuilder().title("my change").build(),                 // read at 1, stored at 2
                Fixtures.minimal("cf-gone").toBuilder().version(3).build(),        // read at 3, not stored
                Fixtures.minimal("cf-taken").toBuilder().title("new?").build(),    // taken for new, stored at 1
                fine.toBuilder().title("fine change").build(),
                Fixtures.minimal("cf-new"));

        UpsertResult result = opportunities().upsertAll(batch, UpsertMode.CHECK_VERSIONS);

        assertThat(result.inserted()).isEqualTo(1);
        assertThat(result.updated()).isEqualTo(1);
        assertThat(result.unchanged()).isZero();
        assertThat(result.conflicts()).containsExactly(
                new UpsertConflict(0, OpportunityId.of("cf-stale"), 1, 2),
                new UpsertConflict(1, OpportunityId.of("cf-gone"), 3, 0),
                new UpsertConflict(2, OpportunityId.of("cf-taken"), 0, 1));
        assertThat(result.conflicts().get(1).toString()).contains("cf-gone").contains("stored none");
        assertThat(all()).containsExactly(atVersion(batch.get(3), 2), atVersion(batch.get(4), 1), movedOn, stored);
    }

    @Test
    void upsertAllFromTheSourceOfRecordOverwritesWhateverTheStoredVersion() {
        givenReferenceProcess();
        Opportunity v1 = opportunities().insert(Fixtures.fullyPopulatedOpen("sw-1"));
        Opportunity v2 = opportunities().update(v1.toBuilder().probability(55).build());
        Opportunity fromSource = atVersion(v1.toBuilder().title("as the ERP has it").build(), 0);

        UpsertResult result = opportunities().upsertAll(List.of(fromSource, Fixtures.minimal("sw-2")),
                UpsertMode.SOURCE_WINS);

        assertThat(result).isEqualTo(new UpsertResult(1, 1, 0, List.of()));
        Opportunity read = opportunities().get(v2.id());
        assertThat(read.version()).isEqualTo(3);
        assertThat(read.sameContentApartFromHistoryAs(fromSource)).isTrue();
        // the source keeps no history: what it changed is recorded
        assertThat(read.changes()).singleElement().satisfies(c -> {
            assertThat(c.field()).isEqualTo(TrackedField.PROBABILITY);
            assertThat(c.fromValue()).contains(55);
            assertThat(c.toValue()).contains(v1.probability());
        });
        assertThat(opportunities().get(OpportunityId.of("sw-2")).version()).isEqualTo(1);
    }

    @Test
    void upsertAllWithInvalidOpportunitiesWritesNothingAndNamesEachOfThem() {
        givenReferenceProcess();
        Opportunity kept = opportunities().insert(Fixtures.minimal("iv-kept"));
        List<Opportunity> batch = List.of(kept.toBuilder().title("would change").build(),
                Fixtures.minimal("iv-stage", M1).stage("NO_SUCH_STAGE").build(),
                Fixtures.minimal("iv-new"),
                Fixtures.minimal("iv-new"),
                Fixtures.minimal("iv-process", M1).processId(ProcessId.of("no-such-process")).build());

        assertThatThrownBy(() -> opportunities().upsertAll(batch, UpsertMode.SOURCE_WINS))
                .isInstanceOfSatisfying(BatchValidationException.class, e -> {
                    assertThat(e.rejections()).extracting(Rejection::index).containsExactly(1, 3, 4);
                    assertThat(e.rejections()).extracting(Rejection::source)
                            .containsExactly("batch[1]", "batch[3]", "batch[4]");
                    assertThat(e.getMessage()).contains("iv-stage").contains("NO_SUCH_STAGE")
                            .contains("no-such-process");
                });
        assertThat(all()).containsExactly(kept);
    }

    @Test
    void upsertAllOfAnEmptyBatchWritesNothing() {
        givenReferenceProcess();

        assertThat(opportunities().upsertAll(List.of(), UpsertMode.CHECK_VERSIONS))
                .isEqualTo(new UpsertResult(0, 0, 0, List.of()));
        assertThat(opportunities().count(OpportunityQuery.all())).isZero();
    }

    @Test
    void aSyncOfAThousandStoredAndAHundredNewWritesExactlyTheChangedAndNewOnes() {
        givenReferenceProcess();
        Random r = new Random(20261203L);
        List<Opportunity> first = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            first.add(i % 50 == 0 ? Fixtures.fullyPopulatedOpen(String.format("mx-%04d", i))
                    : Fixtures.minimal(String.format("mx-%04d", i), ManagerId.of("m-" + (i % 9))).build());
        }
        opportunities().insertAll(first);
        Map<OpportunityId, Opportunity> expected = new java.util.TreeMap<>();
        for (Opportunity o : all()) {
            expected.put(o.id(), o);
        }
        // a sync: a third changed, a tenth new, the rest as stored
        List<Opportunity> sync = new ArrayList<>();
        long changed = 0;
        for (Opportunity o : new ArrayList<>(expected.values())) {
            if (r.nextInt(3) == 0) {
                Opportunity c = o.toBuilder().title(o.title() + " (synced)").probability(r.nextInt(101)).build();
                sync.add(c);
                expected.put(c.id(), c.probability() == o.probability() ? atVersion(c, o.version() + 1)
                        : atVersion(c.toBuilder().changes(List.of(FieldChange.of(TrackedField.PROBABILITY,
                                o.probability(), c.probability(), c.createdAt(), c.owner()))).build(), o.version() + 1));
                changed++;
            } else {
                sync.add(o);
            }
        }
        for (int i = 0; i < 100; i++) {
            Opportunity n = Fixtures.minimal(String.format("mx-new-%03d", i));
            sync.add(n);
            expected.put(n.id(), atVersion(n, 1));
        }
        Collections.shuffle(sync, r);

        UpsertResult result = opportunities().upsertAll(sync, UpsertMode.CHECK_VERSIONS);

        assertThat(result).isEqualTo(new UpsertResult(100, changed, 1_000 - changed, List.of()));
        // the recorded changes are at the time of the sync: compared without their instant
        assertThat(all()).map(CrmStorageContract::changesAtCreation).containsExactlyElementsOf(expected.values());
    }

    private static Opportunity changesAtCreation(Opportunity o) {
        return o.changes().isEmpty() ? o : o.toBuilder().changes(o.changes().stream()
                .map(c -> new FieldChange(c.field(), c.from(), c.to(), o.createdAt(), c.by())).toList()).build();
    }

    // ---------------------------------------------------------------- queries

    private void givenQueryData() {
        SalesProcess corp = givenReferenceProcess();
        SalesProcess inside = insideSalesProcess();
        storage().processes().save(inside);
        // inserted out of id order on purpose: streams must come back ordered by id
        opportunities().insert(opportunity("o07", M3, inside, OpportunityStatus.WON));
        opportunities().insert(opportunity("o02", M1, corp, OpportunityStatus.WON));
        opportunities().insert(opportunity("o10", M3, corp, OpportunityStatus.WON));
        opportunities().insert(opportunity("o01", M1, corp, OpportunityStatus.OPEN));
        opportunities().insert(opportunity("o05", M2, inside, OpportunityStatus.OPEN));
        opportunities().insert(opportunity("o03", M1, inside, OpportunityStatus.LOST));
        opportunities().insert(opportunity("o09", M1, inside, OpportunityStatus.OPEN));
        opportunities().insert(opportunity("o04", M2, corp, OpportunityStatus.OPEN));
        opportunities().insert(opportunity("o08", M3, corp, OpportunityStatus.OPEN));
        opportunities().insert(opportunity("o06", M2, corp, OpportunityStatus.LOST));
    }

    private void assertSelects(OpportunityQuery query, String... expectedIds) {
        assertThat(ids(opportunities().stream(query))).as("stream(%s)", query).containsExactly(expectedIds);
        assertThat(opportunities().count(query)).as("count(%s)", query).isEqualTo(expectedIds.length);
    }

    @Test
    void streamReturnsEveryOpportunityOrderedById() {
        givenQueryData();

        assertSelects(OpportunityQuery.all(), "o01", "o02", "o03", "o04", "o05", "o06", "o07", "o08", "o09", "o10");
    }

    @Test
    void streamAndCountFilterByOwners() {
        givenQueryData();

        assertSelects(OpportunityQuery.ownedBy(Set.of(M1)), "o01", "o02", "o03", "o09");
        assertSelects(OpportunityQuery.ownedBy(Set.of(M1, M3)), "o01", "o02", "o03", "o07", "o08", "o09", "o10");
        assertSelects(OpportunityQuery.ownedBy(Set.of(ManagerId.of("nobody"))));
    }

    @Test
    void streamAndCountFilterByProcess() {
        givenQueryData();

        assertSelects(OpportunityQuery.all().withProcess(ProcessId.of("inside-sales")), "o03", "o05", "o07", "o09");
        assertSelects(OpportunityQuery.all().withProcess(SalesProcesses.CORPORATE_SALES),
                "o01", "o02", "o04", "o06", "o08", "o10");
        assertSelects(OpportunityQuery.all().withProcess(ProcessId.of("ghost")));
    }

    @Test
    void streamAndCountFilterByStatus() {
        givenQueryData();

        assertSelects(OpportunityQuery.all().withStatuses(Set.of(OpportunityStatus.OPEN)),
                "o01", "o04", "o05", "o08", "o09");
        assertSelects(OpportunityQuery.all().withStatuses(Set.of(OpportunityStatus.WON, OpportunityStatus.LOST)),
                "o02", "o03", "o06", "o07", "o10");
        assertSelects(OpportunityQuery.all().withStatuses(Set.of(OpportunityStatus.LOST)), "o03", "o06");
    }

    @Test
    void streamAndCountCombineOwnerProcessAndStatusFilters() {
        givenQueryData();

        assertSelects(OpportunityQuery.ownedBy(Set.of(M2)).withProcess(SalesProcesses.CORPORATE_SALES)
                .withStatuses(Set.of(OpportunityStatus.OPEN)), "o04");
        assertSelects(OpportunityQuery.ownedBy(Set.of(M1, M2)).withProcess(SalesProcesses.CORPORATE_SALES)
                .withStatuses(Set.of(OpportunityStatus.OPEN, OpportunityStatus.WON)), "o01", "o02", "o04");
        assertSelects(OpportunityQuery.ownedBy(Set.of(M3)).withProcess(ProcessId.of("inside-sales"))
                .withStatuses(Set.of(OpportunityStatus.LOST)));
    }

    @Test
    void streamOfAnEmptyStoreIsEmpty() {
        assertSelects(OpportunityQuery.all());
    }

    @Test
    void partlyConsumedStreamsCanBeClosedAndTheStoreKeepsWorking() {
        givenReferenceProcess();
        List<Opportunity> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(Fixtures.minimal(String.format("p%02d", i)));
        }
        opportunities().insertAll(batch);

        for (int round = 0; round < 20; round++) {
            try (Stream<Opportunity> s = opportunities().stream(OpportunityQuery.all())) {
                assertThat(s.limit(2).map(o -> o.id().value())).containsExactly("p00", "p01");
            }
        }
        Opportunity v1 = opportunities().get(OpportunityId.of("p10"));
        Opportunity v2 = opportunities().update(v1.toBuilder().title("After streaming").build());

        assertThat(opportunities().get(v1.id())).isEqualTo(v2);
        assertThat(opportunities().count(OpportunityQuery.all())).isEqualTo(50);
    }

    @Test
    void statusFilterFollowsUpdates() {
        givenQueryData();
        Opportunity open = opportunities().get(OpportunityId.of("o01"));
        Opportunity lost = open.toBuilder()
                .addTransition(new StageTransition(SalesProcesses.QUALIFICATION, SalesProcess.LOST,
                        Fixtures.CREATED_AT.plus(Duration.ofDays(2)), M1))
                .stage(SalesProcess.LOST).probability(0)
                .closeInfo(CloseInfo.lost(LocalDate.of(2026, 1, 7), "Timing", null))
                .build();

        opportunities().update(lost);

        assertSelects(OpportunityQuery.all().withStatuses(Set.of(OpportunityStatus.LOST)), "o01", "o03", "o06");
        assertSelects(OpportunityQuery.all().withStatuses(Set.of(OpportunityStatus.OPEN)), "o04", "o05", "o08", "o09");
    }

    // ---------------------------------------------------------------- texts and money

    @Test
    void hostileTextsAreStoredVerbatim() {
        givenReferenceProcess();
        List<Opportunity> written = new ArrayList<>();
        for (int i = 0; i < HOSTILE_TEXTS.size(); i++) {
            String text = HOSTILE_TEXTS.get(i);
            // keys hold characters of the Basic Multilingual Plane only (StoreLimits)
            String key = text.codePoints().map(cp -> Character.isBmpCodePoint(cp) ? cp : '?')
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            Opportunity won = Fixtures.fullyPopulatedWon("txt-" + i);
            written.add(won.toBuilder()
                    .title(text)
                    .client(ClientRef.account(key, text))
                    .tactic(text)
                    .competitors(List.of(new Competitor(text, text, text)))
                    .participants(List.of(new Participant(ContactId.of(key), text, DecisionRole.CHAMPION,
                            Attitude.UNKNOWN)))
                    .leads(List.of(new Lead(key, text)))
                    .productLines(List.of(new ProductLine(text, BigDecimal.ONE, Amounts.of("1.00", "EUR"), null)))
                    .history(List.of(new HistoryEntry(key, HistoryKind.COMMENT, Fixtures.CREATED_AT,
                            ManagerId.of(key), text, text)))
                    .closeInfo(new CloseInfo(LocalDate.of(2026, 2, 14), Amounts.of("1.00", "EUR"), null, text, text))
                    .build());
        }
        Opportunity hostileId = Fixtures.minimal("'; DROP TABLE opportunity; --", ManagerId.of("o'neil; --"))
                .title("id and owner are hostile").build();
        written.add(hostileId);

        for (Opportunity o : written) {
            opportunities().insert(o);
        }

        for (Opportunity o : written) {
            assertThat(opportunities().get(o.id())).isEqualTo(atVersion(o, 1));
        }
        assertThat(opportunities().count(OpportunityQuery.all())).isEqualTo(written.size());
        assertSelects(OpportunityQuery.ownedBy(Set.of(ManagerId.of("o'neil; --"))), "'; DROP TABLE opportunity; --");
    }

    @Test
    void longTextsAreNotTruncated() {
        givenReferenceProcess();
        String longBody = "Zürich 東京 ".repeat(2_000);
        String longTactic = "x".repeat(4_000);
        Opportunity written = Fixtures.fullyPopulatedOpen("long").toBuilder()
                .tactic(longTactic)
                .addHistory(new HistoryEntry("h-long", HistoryKind.EMAIL, Fixtures.CREATED_AT, M1, "Long mail",
                        longBody))
                .build();

        opportunities().insert(written);

        Opportunity read = opportunities().get(written.id());
        assertThat(read.tactic()).isEqualTo(longTactic);
        assertThat(read.history().get(read.history().size() - 1).body()).isEqualTo(longBody);
    }

    @Test
    void moneyAmountsKeepTheirValueCurrencyAndScaleExactly() {
        givenReferenceProcess();
        Opportunity eur = Fixtures.minimal("eur", M1)
                .amount(Amounts.of("100.50", "EUR"))
                .budget(Amounts.of("9223372036854.77", "EUR"))
                .build();
        Opportunity jpy = Fixtures.minimal("jpy", M1).currency("JPY")
                .amount(Amounts.of("0", "JPY"))
                .budget(Amounts.of("1500000", "JPY"))
                .build();
        Opportunity bhd = Fixtures.minimal("bhd", M1).currency("BHD")
                .amount(Amounts.of("1234.567", "BHD"))
                .budget(Amounts.of("0.001", "BHD"))
                .build();
        Opportunity cents = Fixtures.minimal("cents", M1)
                .amount(Amounts.of("0.01", "EUR"))
                .build();

        opportunities().insertAll(List.of(eur, jpy, bhd, cents));

        assertExactly(opportunities().get(eur.id()).amount(), "100.50", "EUR");
        assertExactly(opportunities().get(eur.id()).budget(), "9223372036854.77", "EUR");
        assertExactly(opportunities().get(jpy.id()).amount(), "0", "JPY");
        assertExactly(opportunities().get(jpy.id()).budget(), "1500000", "JPY");
        assertExactly(opportunities().get(bhd.id()).amount(), "1234.567", "BHD");
        assertExactly(opportunities().get(bhd.id()).budget(), "0.001", "BHD");
        assertExactly(opportunities().get(cents.id()).amount(), "0.01", "EUR");
        assertThat(opportunities().get(jpy.id()).currency().getCurrencyCode()).isEqualTo("JPY");
    }

    @Test
    void moneyInsideChildrenAndCloseDataKeepsItsScale() {
        givenReferenceProcess();
        Opportunity written = Fixtures.fullyPopulatedWon("won").toBuilder()
                .productLines(List.of(
                        new ProductLine("P-1", new BigDecimal("2.5"), Amounts.of("19.90", "EUR"), new BigDecimal("12.5")),
                        new ProductLine("P-2", new BigDecimal("1000000"), Amounts.of("0.01", "EUR"), BigDecimal.ZERO)))
                .closeInfo(new CloseInfo(LocalDate.of(2026, 2, 14), Amounts.of("9223372036854.77", "EUR"),
                        new BigDecimal("1234.25"), "Big one", null))
                .build();

        opportunities().insert(written);

        Opportunity read = opportunities().get(written.id());
        assertThat(read.productLines()).containsExactlyElementsOf(written.productLines());
        assertExactly(Optional.of(read.productLines().get(0).unitPrice()), "19.90", "EUR");
        assertThat(read.productLines().get(0).quantity()).isEqualTo(new BigDecimal("2.5"));
        assertThat(read.productLines().get(0).discountPercent()).isEqualTo(new BigDecimal("12.5"));
        assertExactly(read.closeInfo().orElseThrow().actualRevenueIfAny(), "9223372036854.77", "EUR");
        assertThat(read.closeInfo().orElseThrow().hoursSpent()).isEqualTo(new BigDecimal("1234.25"));
    }

    /**
     * Asserts an amount has exactly the given value and currency. The model's amounts do not
     * keep trailing zeros (Moneta normalises {@code 100.50} to {@code 100.5}), so "scale" is
     * checked where it matters: the value is exact at the currency's minor unit, with the
     * same minor units (10050 cents) as the expected text.
     *
     * @param actual the amount read back
     * @param expected the decimal text at the currency's scale, e.g. {@code "100.50"}
     * @param currency the currency code
     */
    protected static void assertExactly(Optional<MonetaryAmount> actual, String expected, String currency) {
        assertThat(actual).as("amount").isPresent();
        MonetaryAmount amount = actual.get();
        BigDecimal want = new BigDecimal(expected);
        assertThat(amount.getCurrency().getCurrencyCode()).isEqualTo(currency);
        assertThat(Amounts.decimal(amount)).as("exact value of %s", amount).isEqualByComparingTo(want);
        assertThat(Amounts.toMinorUnits(amount)).as("minor units of %s", amount)
                .isEqualTo(want.movePointRight(Amounts.fractionDigits(amount.getCurrency())).longValueExact());
    }

    // ---------------------------------------------------------------- processes

    @Test
    void processesAreSavedFoundReplacedAndListedById() {
        SalesProcess corp = SalesProcesses.corporateSales();
        SalesProcess inside = insideSalesProcess();
        SalesProcess renamed = new SalesProcess(corp.id(), "Corporate sales – 2027 edition; \"v2\"", ProcessMode.FREE,
                corp.stages());

        storage().processes().save(inside);
        storage().processes().save(corp);
        assertThat(storage().processes().find(corp.id())).contains(corp);
        assertThat(storage().processes().findAll()).containsExactly(corp, inside);

        storage().processes().save(renamed);

        assertThat(storage().processes().find(corp.id())).contains(renamed);
        assertThat(storage().processes().get(corp.id()).mode()).isEqualTo(ProcessMode.FREE);
        assertThat(storage().processes().findAll()).containsExactly(renamed, inside);
        assertThat(storage().processes().find(ProcessId.of("ghost"))).isEmpty();
        assertThatThrownBy(() -> storage().processes().get(ProcessId.of("ghost")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void processRoundTripKeepsStagesStepsAndProbabilities() {
        SalesProcess corp = SalesProcesses.corporateSales();

        storage().processes().save(corp);

        SalesProcess read = storage().processes().get(corp.id());
        assertThat(read).isEqualTo(corp);
        assertThat(read.stages()).containsExactlyElementsOf(corp.stages());
        assertThat(read.stage(SalesProcesses.QUALIFICATION).steps())
                .containsExactlyElementsOf(corp.stage(SalesProcesses.QUALIFICATION).steps());
    }

    @Test
    void processesOfAFreshStoreAreEmpty() {
        assertThat(storage().processes().findAll()).isEmpty();
    }

    // ---------------------------------------------------------------- org structure

    /**
     * An org structure that is a real DAG: manager {@code m1} is a member of two groups and
     * the group {@code key-accounts} sits under two parents; names carry unicode and quotes,
     * and one unit has a user-defined kind.
     *
     * @return the structure
     */
    protected static OrgStructure dagOrgStructure() {
        return OrgStructure.builder()
                .unit(UnitId.of("company"), "Nordwind AG", UnitKind.COMPANY)
                .unit(UnitId.of("sales"), "Sales", UnitKind.DEPARTMENT)
                .unit(UnitId.of("services"), "Services & \"Consulting\"", UnitKind.DEPARTMENT)
                .unit(UnitId.of("north"), "North – Zürich/Oslo", UnitKind.DIVISION)
                .unit(UnitId.of("team-a"), "Team A", UnitKind.GROUP)
                .unit(UnitId.of("key-accounts"), "Key accounts", UnitKind.GROUP)
                .unit(UnitId.of("dach"), "DACH region", UnitKind.of("REGION"))
                .link(UnitId.of("sales"), UnitId.of("company"))
                .link(UnitId.of("services"), UnitId.of("company"))
                .link(UnitId.of("north"), UnitId.of("sales"))
                .link(UnitId.of("team-a"), UnitId.of("north"))
                .link(UnitId.of("key-accounts"), UnitId.of("north"))
                .link(UnitId.of("key-accounts"), UnitId.of("services"))
                .link(UnitId.of("dach"), UnitId.of("company"))
                .manager(ManagerId.of("m1"), "Anna O'Brien")
                .manager(ManagerId.of("m2"), "Jörg Müller")
                .manager(ManagerId.of("m3"), "陈伟")
                .manager(ManagerId.of("m4"), "Eve; DROP TABLE manager; --")
                .member(ManagerId.of("m1"), UnitId.of("team-a"))
                .member(ManagerId.of("m1"), UnitId.of("key-accounts"))
                .member(ManagerId.of("m2"), UnitId.of("team-a"))
                .member(ManagerId.of("m3"), UnitId.of("key-accounts"))
                .member(ManagerId.of("m4"), UnitId.of("services"))
                .build();
    }

    @Test
    void orgStructureOfAFreshStoreIsEmpty() {
        OrgStructure loaded = storage().orgStructure().load();

        assertThat(loaded).isEqualTo(OrgStructure.empty());
        assertThat(loaded.managers()).isEmpty();
        assertThat(loaded.units()).isEmpty();
    }

    @Test
    void orgStructureDagRoundTrips() {
        OrgStructure dag = dagOrgStructure();

        storage().orgStructure().save(dag);

        OrgStructure loaded = storage().orgStructure().load();
        assertThat(loaded).isEqualTo(dag);
        assertThat(loaded.parentsOf(M1)).containsExactlyInAnyOrder(UnitId.of("team-a"), UnitId.of("key-accounts"));
        assertThat(loaded.parentsOf(UnitId.of("key-accounts")))
                .containsExactlyInAnyOrder(UnitId.of("north"), UnitId.of("services"));
        assertThat(loaded.membersOf(UnitId.of("company"))).containsExactly(M1, M2, M3, ManagerId.of("m4"));
        assertThat(loaded.membersOf(UnitId.of("services"))).containsExactly(M1, M3, ManagerId.of("m4"));
        assertThat(loaded.nameOf(M3)).isEqualTo("陈伟");
        assertThat(loaded.nameOf(ManagerId.of("m4"))).isEqualTo("Eve; DROP TABLE manager; --");
        assertThat(loaded.unit(UnitId.of("dach")).orElseThrow().kind()).isEqualTo(UnitKind.of("REGION"));
        assertThat(loaded.unit(UnitId.of("services")).orElseThrow().name()).isEqualTo("Services & \"Consulting\"");
    }

    @Test
    void savingAnOrgStructureReplacesThePreviousOneWhole() {
        storage().orgStructure().save(dagOrgStructure());
        OrgStructure smaller = OrgStructure.builder()
                .unit(UnitId.of("company"), "Nordwind AG", UnitKind.COMPANY)
                .unit(UnitId.of("team-z"), "Team Z", UnitKind.GROUP)
                .link(UnitId.of("team-z"), UnitId.of("company"))
                .manager(ManagerId.of("m9"), "Nina")
                .member(ManagerId.of("m9"), UnitId.of("team-z"))
                .build();

        storage().orgStructure().save(smaller);

        OrgStructure loaded = storage().orgStructure().load();
        assertThat(loaded).isEqualTo(smaller);
        assertThat(loaded.contains(M1)).isFalse();
        assertThat(loaded.units()).hasSize(2);
    }

    @Test
    void savingAnEmptyOrgStructureClearsIt() {
        storage().orgStructure().save(dagOrgStructure());

        storage().orgStructure().save(OrgStructure.empty());

        assertThat(storage().orgStructure().load()).isEqualTo(OrgStructure.empty());
    }

    // ---------------------------------------------------------------- plans

    private static final FiscalCalendar CALENDAR = FiscalCalendar.calendarYear(ZoneOffset.UTC);

    private static Period month(int year, Month month) {
        return CALENDAR.periodOf(PeriodType.MONTH, LocalDate.of(year, month, 1));
    }

    private static Period quarter(int year, Month firstMonth) {
        return CALENDAR.periodOf(PeriodType.QUARTER, LocalDate.of(year, firstMonth, 1));
    }

    private static SalesPlan plan(OrgNodeId node, Period period, String target, String currency) {
        return new SalesPlan(node, period, Amounts.of(target, currency));
    }

    @Test
    void planIsSavedAndFoundByNodeAndPeriod() {
        SalesPlan jan = plan(M1, month(2026, Month.JANUARY), "100000.50", "EUR");

        storage().plans().save(jan);

        assertThat(storage().plans().find(M1, month(2026, Month.JANUARY))).contains(jan);
        assertExactly(storage().plans().find(M1, month(2026, Month.JANUARY)).map(SalesPlan::target),
                "100000.50", "EUR");
        assertThat(storage().plans().find(M1, month(2026, Month.FEBRUARY))).isEmpty();
        assertThat(storage().plans().find(M2, month(2026, Month.JANUARY))).isEmpty();
        assertThat(storage().plans().find(UnitId.of("m1"), month(2026, Month.JANUARY)))
                .as("a unit and a manager with the same id text are different nodes").isEmpty();
    }

    @Test
    void savingAPlanWithAStoredKeyReplacesIt() {
        storage().plans().save(plan(M1, month(2026, Month.JANUARY), "1000.00", "EUR"));
        SalesPlan replacement = plan(M1, month(2026, Month.JANUARY), "1200.00", "USD");

        storage().plans().save(replacement);

        assertThat(storage().plans().find(M1, month(2026, Month.JANUARY))).contains(replacement);
        assertThat(storage().plans().findAll()).containsExactly(replacement);
    }

    @Test
    void plansWithTheSameStartButAnotherEndAreDifferentPlans() {
        SalesPlan jan = plan(M1, month(2026, Month.JANUARY), "1000.00", "EUR");
        SalesPlan q1 = plan(M1, quarter(2026, Month.JANUARY), "3000.00", "EUR");

        storage().plans().saveAll(List.of(jan, q1));

        assertThat(storage().plans().find(M1, month(2026, Month.JANUARY))).contains(jan);
        assertThat(storage().plans().find(M1, quarter(2026, Month.JANUARY))).contains(q1);
        assertThat(storage().plans().findByNode(M1)).containsExactlyInAnyOrder(jan, q1);
    }

    @Test
    void findByNodeReturnsTheNodesPlansOrderedByPeriodStart() {
        UnitId sales = UnitId.of("sales");
        SalesPlan mar = plan(sales, month(2026, Month.MARCH), "3.00", "EUR");
        SalesPlan jan = plan(sales, month(2026, Month.JANUARY), "1.00", "EUR");
        SalesPlan feb = plan(sales, month(2026, Month.FEBRUARY), "2.00", "EUR");
        SalesPlan other = plan(M1, month(2026, Month.FEBRUARY), "9.00", "EUR");

        storage().plans().saveAll(List.of(mar, other, jan, feb));

        assertThat(storage().plans().findByNode(sales)).containsExactly(jan, feb, mar);
        assertThat(storage().plans().findByNode(UnitId.of("nobody"))).isEmpty();
    }

    @Test
    void findOverlappingTreatsPeriodEndsAsExclusive() {
        SalesPlan jan = plan(M1, month(2026, Month.JANUARY), "1.00", "EUR");
        SalesPlan feb = plan(M1, month(2026, Month.FEBRUARY), "2.00", "EUR");
        SalesPlan mar = plan(M1, month(2026, Month.MARCH), "3.00", "EUR");
        SalesPlan q1 = plan(UnitId.of("sales"), quarter(2026, Month.JANUARY), "6.00", "EUR");
        SalesPlan q2 = plan(UnitId.of("sales"), quarter(2026, Month.APRIL), "6.00", "EUR");
        storage().plans().saveAll(List.of(jan, feb, mar, q1, q2));

        List<SalesPlan> february = storage().plans().findOverlapping(LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 1));
        List<SalesPlan> lastDayOfMarch = storage().plans().findOverlapping(LocalDate.of(2026, 3, 31),
                LocalDate.of(2026, 4, 1));
        List<SalesPlan> spanning = storage().plans().findOverlapping(LocalDate.of(2026, 1, 15),
                LocalDate.of(2026, 4, 2));

        assertThat(february).containsExactly(feb, q1);
        assertThat(lastDayOfMarch).containsExactly(mar, q1);
        assertThat(spanning).containsExactly(jan, feb, mar, q1, q2);
        assertThat(storage().plans().findOverlapping(LocalDate.of(2025, 1, 1), LocalDate.of(2026, 1, 1))).isEmpty();
    }

    @Test
    void findAllReturnsEveryPlanOrderedByNodeKeyAndPeriodStart() {
        SalesPlan unitFeb = plan(UnitId.of("sales"), month(2026, Month.FEBRUARY), "20.00", "EUR");
        SalesPlan unitJan = plan(UnitId.of("sales"), month(2026, Month.JANUARY), "10.00", "EUR");
        SalesPlan m2Jan = plan(M2, month(2026, Month.JANUARY), "5.00", "EUR");
        SalesPlan m1Mar = plan(M1, month(2026, Month.MARCH), "3.00", "EUR");
        SalesPlan m1Jan = plan(M1, month(2026, Month.JANUARY), "1.00", "JPY");

        storage().plans().saveAll(List.of(unitFeb, m2Jan, unitJan, m1Mar, m1Jan));

        // "manager:m1" < "manager:m2" < "unit:sales"
        assertThat(storage().plans().findAll()).containsExactly(m1Jan, m1Mar, m2Jan, unitJan, unitFeb);
    }

    @Test
    void deleteRemovesOnlyThatPlan() {
        SalesPlan jan = plan(M1, month(2026, Month.JANUARY), "1.00", "EUR");
        SalesPlan feb = plan(M1, month(2026, Month.FEBRUARY), "2.00", "EUR");
        storage().plans().saveAll(List.of(jan, feb));

        assertThat(storage().plans().delete(M1, month(2026, Month.JANUARY))).isTrue();
        assertThat(storage().plans().delete(M1, month(2026, Month.JANUARY))).isFalse();
        assertThat(storage().plans().delete(M2, month(2026, Month.FEBRUARY))).isFalse();

        assertThat(storage().plans().findAll()).containsExactly(feb);
    }

    @Test
    void plansOfAFreshStoreAreEmpty() {
        assertThat(storage().plans().findAll()).isEmpty();
        assertThat(storage().plans().findOverlapping(LocalDate.of(1900, 1, 1), LocalDate.of(9999, 1, 1))).isEmpty();
    }

    @Test
    void manyPlansSavedTogetherAreAllFound() {
        List<SalesPlan> plans = new ArrayList<>();
        for (int m = 0; m < 50; m++) {
            for (Period p : CALENDAR.periods(PeriodType.MONTH, LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31))) {
                plans.add(plan(ManagerId.of(String.format("m%02d", m)), p, m + "000.00", "EUR"));
            }
        }

        storage().plans().saveAll(plans);

        List<SalesPlan> all = storage().plans().findAll();
        assertThat(all).hasSize(600).containsExactlyInAnyOrderElementsOf(plans);
        assertThat(all).isSortedAccordingTo(Comparator.comparing((SalesPlan p) -> p.node().key())
                .thenComparing(p -> p.period().start()));
    }

    /**
     * Every value at a bound of {@link StoreLimits} is stored and read back unchanged, on
     * every path a store writes (single insert, update, batch insert), and ids sort the same
     * in every store: the model refuses what lies beyond the bounds, so together the two
     * guarantee that whatever the model accepts, every store keeps.
     */
    @Nested
    class ValuesAtTheStoreLimits {
        private final String widestKey = "k\u00e9\u6771\uFFFD\uE000".repeat(StoreLimits.MAX_KEY_LENGTH / 5);

        private Opportunity atTheLimits(String id) {
            BigDecimal widestDecimal = new BigDecimal("99999999999999999999999999.999999999999");
            javax.money.CurrencyUnit eur = Amounts.currency("EUR");
            return Fixtures.fullyPopulated("limits").id(id)
                    .client(ClientRef.account(widestKey, "Client " + HOSTILE_TEXTS.get(5)))
                    .title("T\u00e9tel \uD83D\uDE80 \u2028 \t \"q\" \\ " + HOSTILE_TEXTS.get(0))
                    .tactic("x".repeat(StoreLimits.MAX_TEXT_LENGTH - 3) + "\uD83D\uDE80\u00e9")
                    .amount(Amounts.fromMinorUnits(StoreLimits.MAX_AMOUNT_MINOR, eur))
                    .budget(Amounts.fromMinorUnits(0, eur))
                    .productLines(List.of(new ProductLine(widestKey, widestDecimal,
                            Amounts.of(new BigDecimal("12345678901234567890123456.123456789012"), eur),
                            new BigDecimal("99.999999999999"))))
                    .expectedCloseDate(StoreLimits.MAX_DATE)
                    .build();
        }

        private Opportunity atTheEarliestInstant(String id) {
            Instant first = StoreLimits.MIN_INSTANT;
            return Fixtures.minimal(id, ManagerId.of(widestKey))
                    .createdAt(first)
                    .expectedCloseDate(StoreLimits.MIN_DATE)
                    .transitions(List.of(
                            new StageTransition(null, SalesProcesses.QUALIFICATION, first, M1),
                            new StageTransition(SalesProcesses.QUALIFICATION, SalesProcess.LOST,
                                    StoreLimits.MAX_INSTANT, M1)))
                    .stage(SalesProcess.LOST)
                    .probability(0)
                    .closeInfo(CloseInfo.lost(StoreLimits.MAX_DATE, "r".repeat(1000), widestKey))
                    .history(List.of(new HistoryEntry(widestKey, HistoryKind.COMMENT, StoreLimits.MAX_INSTANT, M1,
                            "\uD83D\uDE80", "b\u00f6dy")))
                    .build();
        }

        @Test
        void valuesAtEveryLimitRoundTripThroughInsertUpdateAndBatchInsert() {
            givenReferenceProcess();
            Opportunity single = atTheLimits(widestKey);
            Opportunity early = atTheEarliestInstant("early");

            Opportunity stored = opportunities().insert(single);
            opportunities().insertAll(List.of(atTheLimits("batch-" + widestKey.substring(6)), early));

            assertThat(opportunities().get(single.id())).isEqualTo(atVersion(single, 1));
            assertThat(opportunities().get(early.id())).isEqualTo(atVersion(early, 1));
            assertThat(opportunities().get(OpportunityId.of("batch-" + widestKey.substring(6))))
                    .isEqualTo(atVersion(atTheLimits("batch-" + widestKey.substring(6)), 1));
            Opportunity changed = stored.toBuilder().amount(Amounts.fromMinorUnits(StoreLimits.MAX_AMOUNT_MINOR - 1,
                    stored.currency())).build();
            assertThat(opportunities().update(changed)).isEqualTo(atVersion(changed, 2));
            assertThat(opportunities().get(single.id())).isEqualTo(atVersion(changed, 2));
        }

        @Test
        void keysAtTheLimitWorkInProcessesTheOrgStructureAndPlans() {
            SalesProcess reference = SalesProcesses.corporateSales();
            SalesProcess wide = new SalesProcess(ProcessId.of(widestKey), widestKey, reference.mode(),
                    reference.stages());
            storage().processes().save(wide);
            OrgStructure org = OrgStructure.builder().manager(ManagerId.of(widestKey), widestKey)
                    .unit(UnitId.of(widestKey), widestKey, UnitKind.of(widestKey)).member(ManagerId.of(widestKey), UnitId.of(widestKey)).build();
            storage().orgStructure().save(org);
            SalesPlan managerPlan = plan(ManagerId.of(widestKey),
                    CALENDAR.periodOf(PeriodType.QUARTER, LocalDate.of(2199, 12, 31)),
                    BigDecimal.valueOf(StoreLimits.MAX_AMOUNT_MINOR, 2).toPlainString(), "EUR");
            SalesPlan unitPlan = plan(UnitId.of(widestKey), CALENDAR.periodOf(PeriodType.QUARTER, LocalDate.of(1900, 1, 1)), "0.01",
                    "EUR");
            storage().plans().saveAll(List.of(managerPlan, unitPlan));

            assertThat(storage().processes().get(wide.id())).isEqualTo(wide);
            assertThat(storage().orgStructure().load()).isEqualTo(org);
            assertThat(storage().plans().findAll()).containsExactlyInAnyOrder(managerPlan, unitPlan);
        }

        @Test
        void idsStreamInTheSameOrderInEveryStore() {
            givenReferenceProcess();
            // Java orders U+FFFD after U+E000 and both after 'z'; so do PostgreSQL's "C" collation
            // and SQLite's binary one, because keys hold no supplementary characters
            List<String> ids = List.of("b", "a\uFFFD", "a\uE000", "a\u00e9", "a~", "A", "a", "a b", "a-", "\u6771");
            opportunities().insertAll(ids.stream().map(Fixtures::minimal).toList());

            List<String> streamed;
            try (Stream<Opportunity> all = opportunities().stream(OpportunityQuery.all())) {
                streamed = idsOf(all.toList());
            }
            assertThat(streamed).isEqualTo(ids.stream().sorted().toList());
        }
    }

    /**
     * Importing a whole dataset ({@link CrmStorage#importDataset}): all or nothing, its own
     * export imports again unchanged (versions kept), a taken id refuses the whole import.
     */
    @Nested
    class DatasetImport {
        private Dataset sample(String prefix) {
            List<Opportunity> opps = new ArrayList<>();
            opps.add(Fixtures.fullyPopulatedWon(prefix + "won"));
            opps.add(Fixtures.fullyPopulatedLost(prefix + "lost"));
            for (int i = 0; i < 30; i++) {
                opps.add(Fixtures.minimal(prefix + i, i % 2 == 0 ? M1 : M2).build());
            }
            List<SalesPlan> plans = List.of(plan(M1, quarter(2026, Month.JANUARY), "50000.00", "EUR"),
                    plan(UnitId.of("team-a"), quarter(2026, Month.JANUARY), "90000.00", "EUR"));
            return new Dataset(List.of(SalesProcesses.corporateSales(), insideSalesProcess()), dagOrgStructure(),
                    plans, opps);
        }

        @Test
        void aStoresOwnExportImportsIntoAnotherStoreUnchangedWithItsVersions() {
            storage().importDataset(sample("d-"));
            Opportunity first = opportunities().get(OpportunityId.of("d-0"));
            Opportunity second = opportunities().update(first.toBuilder().title("updated once").build());
            opportunities().update(second.toBuilder().title("updated twice").build());
            Dataset exported = storage().exportDataset();
            assertThat(exported.opportunities()).filteredOn(o -> o.id().value().equals("d-0"))
                    .singleElement().extracting(Opportunity::version).isEqualTo(3L);

            try (CrmStorage other = createStorage()) {
                assertThat(other.importDataset(exported)).isEqualTo(32);
                assertThat(other.exportDataset()).isEqualTo(exported);
                // the versions came along: an update from the exported copy succeeds once
                Opportunity copy = other.opportunities().get(OpportunityId.of("d-0"));
                assertThat(other.opportunities().update(copy.toBuilder().title("third").build()).version())
                        .isEqualTo(4);
            }
        }

        @Test
        void anImportWithInvalidOpportunitiesReportsEveryOneAndWritesNothing() {
            givenReferenceProcess();
            opportunities().insert(Fixtures.minimal("kept"));
            storage().orgStructure().save(OrgStructure.builder().manager(ManagerId.of("solo"), "Solo").build());
            Dataset before = storage().exportDataset();
            List<Opportunity> opps = new ArrayList<>(sample("f-").opportunities());
            opps.add(5, Fixtures.minimal("f-unknown-process").toBuilder().processId(ProcessId.of("no-such-process"))
                    .build());
            opps.add(Fixtures.minimal("f-last").toBuilder().processId(ProcessId.of("no-such-process")).build());
            Dataset failing = new Dataset(sample("f-").processes(), dagOrgStructure(), sample("f-").plans(), opps);

            assertThatThrownBy(() -> storage().importDataset(failing))
                    .isInstanceOfSatisfying(org.crmkit.core.BatchValidationException.class, e -> {
                        assertThat(e.rejections()).extracting(org.crmkit.core.Rejection::source)
                                .containsExactly("opportunities[5]", "opportunities[33]");
                        assertThat(e.rejections().get(1).failures().get(0).field()).isEqualTo("processId");
                    });

            assertThat(storage().exportDataset()).isEqualTo(before);
        }

        @Test
        void anImportWithAnIdAlreadyStoredWritesNothing() {
            givenReferenceProcess();
            opportunities().insert(Fixtures.minimal("i-7"));
            Dataset before = storage().exportDataset();

            assertThatThrownBy(() -> storage().importDataset(sample("i-"))).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("id");

            assertThat(storage().exportDataset()).isEqualTo(before);
        }

        @Test
        void neverStoredOpportunitiesImportAtVersionOne() {
            storage().importDataset(sample("n-"));

            assertThat(opportunities().get(OpportunityId.of("n-3")).version()).isEqualTo(1);
            assertThat(storage().plans().findAll()).hasSize(2);
            assertThat(storage().orgStructure().load()).isEqualTo(dagOrgStructure());
        }
    }

    // ---------------------------------------------------------------- field history

    /** The three fully populated opportunities, each with a random field history (pinned seed). */
    private static List<Opportunity> withHistories(String prefix, long seed) {
        Random r = new Random(seed);
        List<Opportunity> out = new ArrayList<>();
        for (Opportunity base : List.of(Fixtures.fullyPopulatedOpen(prefix + "open"),
                Fixtures.fullyPopulatedWon(prefix + "won"), Fixtures.fullyPopulatedLost(prefix + "lost"))) {
            Opportunity o = base;
            while (o.changes().size() < 3) {
                o = FieldHistories.withRandomChanges(base, r, base.createdAt().plus(Duration.ofDays(40)), 12,
                        List.of(M1, M2, M3));
            }
            out.add(o);
        }
        return out;
    }

    @Test
    void everyWritePathStoresTheFieldHistoryAndEveryReadGivesItBack() {
        givenReferenceProcess();
        List<Opportunity> one = withHistories("h1-", 171L);
        List<Opportunity> all = withHistories("h2-", 172L);
        List<Opportunity> upserted = withHistories("h3-", 173L);

        opportunities().insert(one.get(0));
        opportunities().insertAll(all);
        opportunities().upsertAll(upserted, UpsertMode.SOURCE_WINS);

        List<Opportunity> written = new ArrayList<>(List.of(one.get(0)));
        written.addAll(all);
        written.addAll(upserted);
        for (Opportunity w : written) {
            Opportunity read = opportunities().get(w.id());
            assertThat(read.changes()).as("changes of %s", w.id()).hasSizeGreaterThanOrEqualTo(3)
                    .containsExactlyElementsOf(w.changes());
            assertThat(read).isEqualTo(atVersion(w, 1));
        }
        assertThat(all()).containsExactlyInAnyOrderElementsOf(written.stream().map(w -> atVersion(w, 1)).toList());
        assertThat(storage().exportDataset().opportunities())
                .containsExactlyInAnyOrderElementsOf(written.stream().map(w -> atVersion(w, 1)).toList());

        // an edit appends to what was read, and an update stores the longer history
        Opportunity read = opportunities().get(one.get(0).id());
        Instant at = read.changes().get(read.changes().size() - 1).at().plus(Duration.ofDays(1));
        Opportunity edited = read.edit(at, M2).expectedCloseDate(read.expectedCloseDate().plusDays(21)).apply();
        opportunities().update(edited);
        Opportunity again = opportunities().get(edited.id());
        assertThat(again.changes()).hasSize(read.changes().size() + 1).startsWith(read.changes().toArray(FieldChange[]::new))
                .last().isEqualTo(FieldChange.of(TrackedField.EXPECTED_CLOSE_DATE, read.expectedCloseDate(),
                        read.expectedCloseDate().plusDays(21), at, M2));
        assertThat(again.asOf(at.minusSeconds(1)).orElseThrow().sameContentAs(read.asOf(at.minusSeconds(1))
                .orElseThrow())).isTrue();
    }

    @Test
    void aHistoryThatStartsAfterCreationAndAHandOverRoundTripAndReconstructTheSameDeal() {
        givenReferenceProcess();
        Instant start = Fixtures.CREATED_AT.plus(Duration.ofDays(2));
        Instant handOver = start.plus(Duration.ofDays(1));
        Opportunity written = Fixtures.minimal("hs-1", M1).amount(Amounts.of("1000.00", "EUR"))
                .changes(List.of(FieldChange.historyStart(start, M1))).build()
                .edit(handOver, M3).owner(M2).amount(Amounts.of("1500.00", "EUR")).apply();

        opportunities().insert(written);

        Opportunity read = opportunities().get(written.id());
        assertThat(read.changes()).containsExactly(FieldChange.historyStart(start, M1),
                FieldChange.of(TrackedField.AMOUNT, Amounts.of("1000.00", "EUR"), Amounts.of("1500.00", "EUR"),
                        handOver, M3),
                FieldChange.of(TrackedField.OWNER, M1, M2, handOver, M3));
        assertThat(read.historyStart()).isEqualTo(start);
        Opportunity before = read.asOf(handOver.minusSeconds(1)).orElseThrow();
        assertThat(before.owner()).isEqualTo(M1);
        assertThat(before.amount()).contains(Amounts.of("1000.00", "EUR"));
        assertThat(before.sameContentAs(written.asOf(handOver.minusSeconds(1)).orElseThrow())).isTrue();
        assertThat(opportunities().ownerOf(written.id())).contains(M2);
    }

    @Test
    void anUpdateOfACopyBuiltAfreshContinuesTheStoredHistoryAndAReadCopyKeepsIt() {
        givenReferenceProcess();
        Opportunity stored = opportunities().insert(withHistories("hup-", 175L).get(0));
        // built afresh (no history) at the stored version, with a new close date
        LocalDate later = stored.expectedCloseDate().plusDays(30);
        Opportunity afresh = stored.toBuilder().changes(List.of()).expectedCloseDate(later).build();

        Instant writing = Instant.now();
        Opportunity v2 = opportunities().update(afresh);
        Instant written = Instant.now();

        assertThat(v2.changes()).hasSize(stored.changes().size() + 1)
                .startsWith(stored.changes().toArray(FieldChange[]::new));
        FieldChange added = v2.changes().get(v2.changes().size() - 1);
        assertThat(added.field()).isEqualTo(TrackedField.EXPECTED_CLOSE_DATE);
        assertThat(added.fromValue()).contains(stored.expectedCloseDate());
        assertThat(added.toValue()).contains(later);
        assertThat(added.at()).isBetween(writing, written);
        assertThat(opportunities().get(stored.id())).isEqualTo(v2);
        // a read copy changed with toBuilder records its change itself; the store keeps it as given
        Opportunity v3 = opportunities().update(v2.toBuilder().probability(v2.probability() == 5 ? 6 : 5).build());
        assertThat(v3.changes()).hasSize(v2.changes().size() + 1).startsWith(v2.changes().toArray(FieldChange[]::new));
        assertThat(opportunities().get(stored.id())).isEqualTo(v3);
    }

    @Test
    void anUpsertWhoseOnlyDifferenceIsTheFieldHistoryWritesIt() {
        givenReferenceProcess();
        Opportunity a = opportunities().insert(Fixtures.fullyPopulatedOpen("hu-a"));
        Opportunity b = opportunities().insert(Fixtures.fullyPopulatedOpen("hu-b"));
        Opportunity marked = a.toBuilder().changes(List.of(FieldChange.historyStart(a.createdAt(), a.owner())))
                .build();

        UpsertResult result = opportunities().upsertAll(List.of(marked, b), UpsertMode.CHECK_VERSIONS);

        assertThat(result).isEqualTo(new UpsertResult(0, 1, 1, List.of()));
        assertThat(opportunities().get(a.id())).isEqualTo(atVersion(marked, 2));
        assertThat(opportunities().get(b.id())).isEqualTo(b);
    }

    @Test
    void aSyncFromASourceWithoutHistoryKeepsTheStoredHistoryAndRecordsWhatItChanged() {
        givenReferenceProcess();
        Opportunity tracked = opportunities().insert(withHistories("sy-", 174L).get(0));
        Opportunity plain = opportunities().insert(Fixtures.minimal("sy-plain", M1).amount(Amounts.of("1000.00", "EUR"))
                .build());
        // what a source that keeps no history sends: the same deal, then one with new values
        Opportunity sameAsStored = tracked.toBuilder().changes(List.of()).version(0).build();
        MonetaryAmount before = tracked.amount().orElseThrow();
        MonetaryAmount after = before.add(Amounts.of("250.00", before.getCurrency().getCurrencyCode()));
        Opportunity moved = tracked.toBuilder().changes(List.of()).amount(after).owner(M3).version(0).build();
        Opportunity plainMoved = plain.toBuilder().amount(Amounts.of("1200.00", "EUR")).version(0).build();

        UpsertResult first = opportunities().upsertAll(List.of(sameAsStored), UpsertMode.SOURCE_WINS);
        assertThat(first).isEqualTo(new UpsertResult(0, 0, 1, List.of()));
        assertThat(opportunities().get(tracked.id())).isEqualTo(tracked);

        Instant writing = Instant.now();
        UpsertResult second = opportunities().upsertAll(List.of(moved, plainMoved), UpsertMode.SOURCE_WINS);
        Instant written = Instant.now();

        assertThat(second).isEqualTo(new UpsertResult(0, 2, 0, List.of()));
        Opportunity read = opportunities().get(tracked.id());
        assertThat(read.changes()).hasSize(tracked.changes().size() + (tracked.owner().equals(M3) ? 1 : 2))
                .startsWith(tracked.changes().toArray(FieldChange[]::new));
        List<FieldChange> added = read.changes().subList(tracked.changes().size(), read.changes().size());
        assertThat(added).allSatisfy(c -> {
            assertThat(c.by()).isEqualTo(M3);
            assertThat(c.at()).isBetween(writing, written);
        });
        assertThat(added).extracting(FieldChange::field).contains(TrackedField.AMOUNT);
        assertThat(added.get(0)).isEqualTo(FieldChange.of(TrackedField.AMOUNT, before, after, added.get(0).at(), M3));
        assertThat(read.asOf(writing.minusSeconds(1)).orElseThrow().sameContentAs(tracked.asOf(writing.minusSeconds(1))
                .orElseThrow())).isTrue();
        assertThat(opportunities().get(plain.id()).changes()).singleElement().satisfies(c -> {
            assertThat(c.field()).isEqualTo(TrackedField.AMOUNT);
            assertThat(c.from()).isEqualTo("EUR 1000.00");
            assertThat(c.to()).isEqualTo("EUR 1200.00");
            assertThat(c.by()).isEqualTo(M1);
        });
    }

    /**
     * A collection helper for subclasses: the ids of opportunities.
     *
     * @param opportunities the opportunities
     * @return their id texts in the same order
     */
    protected static List<String> idsOf(Collection<Opportunity> opportunities) {
        return opportunities.stream().map(o -> o.id().value()).collect(Collectors.toList());
    }
}
