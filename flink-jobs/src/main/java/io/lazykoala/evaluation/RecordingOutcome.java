package io.lazykoala.evaluation;

import java.util.List;

/**
 * What the job did over one recording, judged against its labels.
 *
 * @param recording        file name
 * @param cases            one per labelled incident
 * @param falseAlarmTimes  step ends at which an incident opened outside every case window
 * @param normalMs         evaluated time outside every case window (steps × step)
 * @param steps            rankings (steps) evaluated
 */
public record RecordingOutcome(String recording, List<CaseResult> cases, List<Long> falseAlarmTimes, long normalMs,
                               long steps) {
    public RecordingOutcome {
        cases = List.copyOf(cases);
        falseAlarmTimes = List.copyOf(falseAlarmTimes);
    }
}
