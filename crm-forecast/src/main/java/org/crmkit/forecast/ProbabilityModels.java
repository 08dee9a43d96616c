package org.crmkit.forecast;

import java.util.Objects;
import java.util.OptionalInt;
import org.crmkit.core.Opportunity;
import org.crmkit.core.SalesProcess;
import org.crmkit.forecast.spi.ProbabilityModel;

/**
 * The simple built-in probability models: the opportunity's own probability and the default
 * probability of its current stage. The historical stage-to-win rate is
 * {@link HistoricalWinRateModel}.
 */
public final class ProbabilityModels {
    private static final ProbabilityModel OWN = new ProbabilityModel() {
        @Override
        public int probabilityBasisPoints(Opportunity opportunity, SalesProcess process) {
            return opportunity.probability() * 100;
        }

        @Override
        public OptionalInt probabilityBasisPoints(SalesProcess process, String stage, int ownProbability) {
            return OptionalInt.of(ownProbability * 100);
        }

        @Override
        public String name() {
            return "own";
        }

        @Override
        public String toString() {
            return "ProbabilityModel[own]";
        }
    };

    private static final ProbabilityModel STAGE_DEFAULT = new ProbabilityModel() {
        @Override
        public int probabilityBasisPoints(Opportunity opportunity, SalesProcess process) {
            Objects.requireNonNull(process, "process");
            return process.stage(opportunity.stage()).defaultProbability() * 100;
        }

        @Override
        public OptionalInt probabilityBasisPoints(SalesProcess process, String stage, int ownProbability) {
            Objects.requireNonNull(process, "process");
            return OptionalInt.of(process.stage(stage).defaultProbability() * 100);
        }

        @Override
        public String name() {
            return "stage-default";
        }

        @Override
        public String toString() {
            return "ProbabilityModel[stage-default]";
        }
    };

    private ProbabilityModels() {
    }

    /**
     * The probability recorded on the opportunity ({@link Opportunity#probability()}).
     *
     * @return the model
     */
    public static ProbabilityModel own() {
        return OWN;
    }

    /**
     * The default probability of the opportunity's current stage in its process
     * ({@link org.crmkit.core.Stage#defaultProbability()}).
     *
     * @return the model
     */
    public static ProbabilityModel stageDefault() {
        return STAGE_DEFAULT;
    }
}
