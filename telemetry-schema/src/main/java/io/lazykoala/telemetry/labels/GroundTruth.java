package io.lazykoala.telemetry.labels;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The ground-truth labels of one recording: its incidents, ordered by start time.
 * An empty list labels a recording of normal operation.
 */
public record GroundTruth(List<Incident> incidents) {
    public static final GroundTruth NONE = new GroundTruth(List.of());

    public GroundTruth {
        incidents = incidents.stream().sorted(Comparator.comparingLong(Incident::startMs)).toList();
    }

    /** The incidents active at {@code tsMs}. */
    public List<Incident> activeAt(long tsMs) {
        return incidents.stream().filter(i -> i.isActiveAt(tsMs)).toList();
    }

    /** The first incident active at {@code tsMs}, if any. */
    public Optional<Incident> firstActiveAt(long tsMs) {
        return incidents.stream().filter(i -> i.isActiveAt(tsMs)).findFirst();
    }
}
