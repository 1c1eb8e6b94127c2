package io.lazykoala.job.encoding;

import io.lazykoala.simulator.FaultSpec;
import io.lazykoala.simulator.SimulationSpec;
import io.lazykoala.simulator.Simulator;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.labels.FaultType;
import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.labels.Incident;
import io.lazykoala.telemetry.labels.LabelsFile;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Test helper: a real simulator run written as a recording plus its labels file. */
public final class SimulatedRecording {
    public static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private SimulatedRecording() {}

    public static List<Incident> write(String topology, long seed, long durationMs, List<FaultSpec> faults,
                                       Path recording, Path labels) throws IOException {
        SimulationSpec spec = SimulationSpec.resolve(topology).withFaults(faults);
        List<Incident> incidents;
        try (RecordingWriter w = RecordingWriter.create(recording)) {
            incidents = Simulator.run(spec, seed, START, durationMs, r -> {
                try {
                    w.write(new RecordedRecord(r.topic(), 0, r.key().getBytes(StandardCharsets.UTF_8),
                            TelemetryCodec.encode(r), r.ts()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        if (labels != null) {
            LabelsFile.write(labels, new GroundTruth(incidents));
        }
        return incidents;
    }

    public static FaultSpec fault(FaultType type, String namespace, String service, long startS, long durationS,
                                  double intensity) {
        return new FaultSpec(type, Workload.of(namespace, service), startS * 1000, durationS * 1000, intensity);
    }
}
