package io.lazykoala.evaluation;

/**
 * How incidents are judged.
 *
 * @param stepMs     the job's step (a step of the normal time counts this long)
 * @param caseSteps  a case's ranking is the Borda aggregate of the first {@code caseSteps} rankings asserted in
 *                   INCIDENT state inside the case window (1 = exactly the ranking of the first alert)
 * @param graceMs    a fault's effects (and the detector's hold time) are allowed to last this long after its
 *                   labelled end: steps up to end + grace belong to the case, and openings in it are not false alarms
 */
public record EvaluationSettings(long stepMs, int caseSteps, long graceMs) {
    public EvaluationSettings {
        if (stepMs <= 0) {
            throw new IllegalArgumentException("the step must be positive, not " + stepMs + " ms");
        }
        if (caseSteps < 1) {
            throw new IllegalArgumentException("a case needs at least one ranking, not " + caseSteps);
        }
        if (graceMs < 0) {
            throw new IllegalArgumentException("the grace period must not be negative, not " + graceMs + " ms");
        }
    }

    /** 5 s steps, the first 30 s of rankings (6 steps), 2 minutes of grace. */
    public static EvaluationSettings defaults(long stepMs) {
        return new EvaluationSettings(stepMs, Math.max(1, (int) (30_000 / stepMs)), Math.max(120_000, 2 * stepMs));
    }
}
