package io.lazykoala.simulator;

import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.labels.Incident;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs a {@link SimulationSpec} and streams the records the Lazy Koala collectors would have produced
 * ({@code lazykoala.tcp}, {@code lazykoala.listen}, {@code lazykoala.resources}) into a {@link RecordSink}.
 *
 * <pre>{@code
 * SimulationSpec spec = SimulationSpec.resolve("shop");              // or a YAML path
 * List<Incident> labels = Simulator.run(spec, 42, startMs, 3_600_000, record -> producer.send(record));
 * }</pre>
 *
 * <p>The same spec, seed, start and duration always give the same record stream. Records arrive in
 * non-decreasing event time; every event time lies in [startMs, startMs + durationMs].
 */
public final class Simulator {
    private Simulator() {}

    /**
     * Simulates {@code durationMs} of the world starting at event time {@code startMs} (epoch ms).
     *
     * @param spec       the world and its scripted faults (fault start times are offsets from {@code startMs})
     * @param seed       seed of every random choice
     * @param startMs    event time of the first tick (epoch ms); the daily load cycle follows its hour of day
     * @param durationMs how long to simulate (ms, positive)
     * @param sink       receives every record, in event-time order, on the calling thread
     * @return the ground truth: one incident per fault that starts within the run, by start time
     */
    public static List<Incident> run(SimulationSpec spec, long seed, long startMs, long durationMs, RecordSink sink) {
        return runWithStats(spec, seed, startMs, durationMs, sink).incidents();
    }

    /** Like {@link #run} but also says how many records were emitted. */
    public static Result runWithStats(SimulationSpec spec, long seed, long startMs, long durationMs, RecordSink sink) {
        if (durationMs <= 0) {
            throw new IllegalArgumentException("the duration must be positive, not " + durationMs + " ms");
        }
        long records = new SimulationRun(spec, seed, startMs, durationMs, sink).run();
        return new Result(labels(spec, startMs, durationMs), records);
    }

    /** The ground truth of a run of {@code spec} from {@code startMs} for {@code durationMs}, without running it. */
    public static List<Incident> labels(SimulationSpec spec, long startMs, long durationMs) {
        List<Incident> incidents = new ArrayList<>();
        for (FaultSpec f : spec.faults()) {
            if (f.startOffsetMs() >= durationMs) {
                continue;
            }
            long start = startMs + f.startOffsetMs();
            incidents.add(new Incident(f.type(), f.target().namespace(), f.target().service(), start,
                    start + f.durationMs(), f.intensity(),
                    "simulated " + f.type().id() + " on " + f.target().key() + " at intensity " + f.intensity()
                            + " (" + spec.name() + ")"));
        }
        incidents.sort(Comparator.comparingLong(Incident::startMs));
        return List.copyOf(incidents);
    }

    /** The labels as the shared ground-truth type. */
    public static GroundTruth groundTruth(List<Incident> incidents) {
        return new GroundTruth(incidents);
    }

    /** What a run produced besides the records. */
    public record Result(List<Incident> incidents, long records) {}
}
