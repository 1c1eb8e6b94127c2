package io.lazykoala.evaluation;

import io.lazykoala.job.ranking.ServiceAnomaly;

import java.util.List;
import java.util.Map;

/** Turns one step's encoded services into the anomalies the ranker reads. */
public interface StepScorer extends AutoCloseable {
    /** Scores the services of one step; a service that cannot be scored yet (warm-up) is left out. */
    Map<String, ServiceAnomaly> score(long stepEnd, List<ServiceStep> services);

    /** One line saying what scores (shown in reports, so a stand-in is never mistaken for the model). */
    String description();

    @Override
    default void close() {
    }
}
