package io.lazykoala.evaluation;

import io.lazykoala.telemetry.labels.Incident;

import java.util.List;

/**
 * The outcome of one labelled incident.
 *
 * @param recording       where it came from (file name)
 * @param incident        the ground truth
 * @param ranking         the case's ranking ("namespace/service", best first; empty = none asserted)
 * @param rank            1-based rank of the true cause in {@code ranking}, 0 = not in it
 * @param alarmDelayMs    fault start → first step in INCIDENT state within the case window (null = never)
 * @param detectionDelayMs fault start → first step in INCIDENT state whose top-1 is the true cause (null = never)
 * @param incidentSteps   steps of the case window in INCIDENT state
 * @param correctTop1Steps of those, steps whose top-1 was the true cause
 */
public record CaseResult(String recording, Incident incident, List<String> ranking, int rank, Long alarmDelayMs,
                         Long detectionDelayMs, int incidentSteps, int correctTop1Steps) {
    public CaseResult {
        ranking = List.copyOf(ranking);
    }

    public String truth() {
        return incident.target().key();
    }
}
