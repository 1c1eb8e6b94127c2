package io.lazykoala.job.encoding;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lazykoala.telemetry.Topics;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.labels.Incident;
import io.lazykoala.telemetry.labels.LabelsFile;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * {@code lazykoala export-tensors}: recording → features → images, written as float32 .npy [N, 3, 8, 13] plus a
 * JSON sidecar (services, timestamps, normal flags, faults and the contract), with the very classes the Flink job
 * runs, so the model is trained on exactly what it will be served.
 *
 * <p>Rows are in step order, services sorted within a step; only images past the warm-up are written. With labels,
 * bounds do not learn during labelled faults (as the job's health gate would do), and rows whose window or
 * look-back still contains a fault are flagged {@code normal: false} so training leaves them out.
 */
public final class TensorExport {

    /**
     * @param contract   image layout and normalisation
     * @param labels     ground-truth labels file, or null
     * @param name       output file stem, or null for the recording's file name without extensions
     * @param pngs       how many PNG pictures to write (0 = none): per service the most anomalous-looking image,
     *                   then the last one, until this many
     * @param latenessMs how far records may arrive out of order in the recording
     */
    public record Options(ImageContract contract, Path labels, String name, int pngs, long latenessMs) {
        public static Options defaults() {
            return new Options(ImageContract.DEFAULT, null, null, 0, 30_000);
        }

        public Options withLabels(Path l) {
            return new Options(contract, l, name, pngs, latenessMs);
        }

        public Options withPngs(int n) {
            return new Options(contract, labels, name, n, latenessMs);
        }

        public Options withName(String n) {
            return new Options(contract, labels, n, pngs, latenessMs);
        }

        public Options withContract(ImageContract c) {
            return new Options(c, labels, name, pngs, latenessMs);
        }
    }

    /**
     * What was written.
     *
     * @param recordsRead     records in the recording
     * @param recordsRejected records that failed to decode (or are on no input topic)
     * @param recordsLate     records too far out of order (dropped)
     * @param services        services seen
     * @param images          rows written
     * @param normalImages    rows flagged normal
     */
    public record Result(long recordsRead, long recordsRejected, long recordsLate, int services, long images,
                         long normalImages, Path npy, Path sidecar, List<Path> pngs) {}

    private TensorExport() {}

    public static Result run(Path recording, Path outDir, Options options) throws IOException {
        GroundTruth truth = options.labels() == null ? GroundTruth.NONE : LabelsFile.read(options.labels());
        Files.createDirectories(outDir);
        String stem = options.name() != null ? options.name() : stemOf(recording);
        Path npy = outDir.resolve(stem + ".npy");
        Path sidecarPath = outDir.resolve(stem + ".json");
        ImageContract contract = options.contract();
        // a fault stays in an image until it has left the longest window of the oldest row
        long tailMs = (long) contract.historySteps() * contract.stepS() * 1000L;

        List<String> serviceNames = new ArrayList<>();
        Map<String, Integer> serviceIndex = new HashMap<>();
        List<Integer> rowService = new ArrayList<>();
        List<Long> rowTs = new ArrayList<>();
        List<Boolean> rowNormal = new ArrayList<>();
        Map<String, PngCandidate> worst = new LinkedHashMap<>();
        Map<String, PngCandidate> last = new LinkedHashMap<>();
        long[] counts = new long[2]; // read, rejected
        long normal;
        StepEncoder encoder;
        try (NpyWriter writer = new NpyWriter(npy, ImageContract.CHANNELS, ImageContract.ROWS, ImageContract.FEATURES)) {
            StepEncoder.Health health = (service, stepEnd) -> truth.activeAt(stepEnd).isEmpty()
                    && truth.activeAt(stepEnd - contract.stepS() * 1000L).isEmpty();
            encoder = new StepEncoder(contract, options.latenessMs(), health, new StepEncoder.Sink() {
                @Override
                public void service(long stepEnd, String service, double[] features, float[] image) {
                    if (image == null) {
                        return;
                    }
                    try {
                        writer.write(image);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    int idx = serviceIndex.computeIfAbsent(service, s -> {
                        serviceNames.add(s);
                        return serviceNames.size() - 1;
                    });
                    rowService.add(idx);
                    rowTs.add(stepEnd);
                    rowNormal.add(isNormal(truth, stepEnd, tailMs));
                    if (options.pngs() > 0) {
                        double energy = outsideEnergy(image);
                        PngCandidate w = worst.get(service);
                        if (w == null || energy > w.energy) {
                            worst.put(service, new PngCandidate(stepEnd, image, energy));
                        }
                        last.put(service, new PngCandidate(stepEnd, image, energy));
                    }
                }
            });
            try (RecordingReader reader = RecordingReader.open(recording)) {
                RecordedRecord rec;
                while ((rec = reader.next()) != null) {
                    counts[0]++;
                    if (!Topics.INPUTS.contains(rec.topic()) || rec.value() == null) {
                        counts[1]++;
                        continue;
                    }
                    DecodeResult decoded = TelemetryCodec.decode(rec.value(), rec.topic());
                    if (decoded instanceof DecodeResult.Ok ok) {
                        encoder.add(ok.record());
                    } else {
                        counts[1]++;
                    }
                }
            }
            encoder.flush();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        normal = rowNormal.stream().filter(b -> b).count();

        List<Path> pngs = new ArrayList<>();
        if (options.pngs() > 0) {
            Path dir = outDir.resolve(stem + "-png");
            Files.createDirectories(dir);
            List<Map.Entry<String, PngCandidate>> order = new ArrayList<>(worst.entrySet());
            order.sort((a, b) -> Double.compare(b.getValue().energy, a.getValue().energy));
            List<Map.Entry<String, PngCandidate>> lasts = new ArrayList<>(last.entrySet());
            order.addAll(lasts);
            for (Map.Entry<String, PngCandidate> e : order) {
                if (pngs.size() >= options.pngs()) {
                    break;
                }
                PngCandidate c = e.getValue();
                Path file = dir.resolve(e.getKey().replace('/', '_') + "-" + c.stepEnd + ".png");
                if (Files.exists(file)) {
                    continue;
                }
                ImagePng.write(c.image, contract, e.getKey() + " at " + java.time.Instant.ofEpochMilli(c.stepEnd), file);
                pngs.add(file);
            }
        }

        Map<String, Object> sidecar = new LinkedHashMap<>();
        sidecar.put("format", "lazykoala-tensors");
        sidecar.put("recording", recording.getFileName().toString());
        sidecar.put("source", "lazykoala export-tensors");
        sidecar.put("shape", List.of(rowTs.size(), ImageContract.CHANNELS, ImageContract.ROWS, ImageContract.FEATURES));
        sidecar.put("contract", contract.toMap());
        sidecar.put("services", serviceNames);
        sidecar.put("service_index", rowService);
        sidecar.put("timestamps", rowTs);
        sidecar.put("normal", rowNormal);
        List<Map<String, Object>> faults = new ArrayList<>();
        for (Incident i : truth.incidents()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("start_ms", i.startMs());
            f.put("end_ms", i.endMs());
            f.put("service", i.target().key());
            f.put("type", i.faultType().id());
            faults.add(f);
        }
        sidecar.put("faults", faults);
        sidecar.put("records", Map.of("read", counts[0], "rejected", counts[1], "late", encoder.lateRecords(),
                "unattributed", encoder.unattributedRecords()));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(sidecarPath.toFile(), sidecar);
        return new Result(counts[0], counts[1], encoder.lateRecords(), encoder.services(), rowTs.size(), normal,
                npy, sidecarPath, pngs);
    }

    static boolean isNormal(GroundTruth truth, long stepEnd, long tailMs) {
        for (Incident i : truth.incidents()) {
            if (stepEnd > i.startMs() && stepEnd - tailMs < i.endMs()) {
                return false;
            }
        }
        return true;
    }

    /** How far an image lies outside the learned range: the sum of excursions beyond [0, 1]. */
    static double outsideEnergy(float[] image) {
        double e = 0;
        for (float v : image) {
            e += v > 1 ? v - 1 : v < 0 ? -v : 0;
        }
        return e;
    }

    static String stemOf(Path p) {
        String n = p.getFileName().toString();
        int dot = n.indexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private record PngCandidate(long stepEnd, float[] image, double energy) {}

}
