package io.lazykoala.datasets.petshop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lazykoala.evaluation.KnownGraphFile;
import io.lazykoala.job.features.EdgeKey;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import io.lazykoala.telemetry.labels.FaultType;
import io.lazykoala.telemetry.labels.GroundTruth;
import io.lazykoala.telemetry.labels.Incident;
import io.lazykoala.telemetry.labels.LabelsFile;
import io.lazykoala.telemetry.recording.Compression;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Converts one PetShop scenario (amazon-science/petshop-root-cause-analysis, CC-BY-4.0) into Lazy Koala inputs:
 * <ul>
 * <li>{@code <scenario>-<split>-issue_N.lkrec}: every period of the issue's metrics.csv as {@code lazykoala.metrics}
 *     records (one per node and period, mapped by {@link PetshopMapping}), stamped at the period's end (a 5-minute
 *     aggregate is known only then), with {@code .labels.json}: one incident on {@code target.json}'s
 *     {@code root_cause.node} from the symptom's {@code target.timestamp} to the end of the file;</li>
 * <li>{@code <scenario>-noissue.baseline.lkrec}: normal operation, the baseline of the feature-deviation scoring;</li>
 * <li>{@code graph.json}: the call graph of graph.csv as caller → callee edges for the ranker;</li>
 * <li>{@code ATTRIBUTION.md}: the dataset's source and licence.</li>
 * </ul>
 * Nodes are services of namespace {@value #NAMESPACE}, named exactly as in the dataset.
 */
public final class PetshopConverter {
    public static final String NAMESPACE = "petshop";
    public static final String ATTRIBUTION = """
            # Attribution

            These recordings are converted from the PetShop root-cause analysis dataset
            (https://github.com/amazon-science/petshop-root-cause-analysis, folder `dataset/`),
            "PetShop: A Dataset for Root Cause Analysis", Copyright Amazon.com, Inc. or its affiliates.
            The data is licensed under the Creative Commons Attribution 4.0 International licence (CC-BY-4.0,
            https://creativecommons.org/licenses/by/4.0/). Changes: metrics mapped onto Lazy Koala feature names
            and stored as lazykoala.metrics records; graph.csv stored as a list of edges; target.json stored as labels.
            """;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What a conversion wrote. */
    public record Result(int issues, long records, int nodes, int edges, List<Path> files) {}

    private PetshopConverter() {}

    /**
     * @param dataset the dataset folder (holding {@code <scenario>/graph.csv}) or its parent
     * @param periodS the data's resolution (PetShop: 300 s)
     */
    public static Result convert(Path dataset, String scenario, Path out, int periodS) throws IOException {
        Path root = Files.isDirectory(dataset.resolve("dataset")) ? dataset.resolve("dataset") : dataset;
        Path dir = root.resolve(scenario);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("The PetShop dataset " + root + " has no scenario '" + scenario + "' (found: "
                    + scenarios(root) + ").");
        }
        Files.createDirectories(out);
        List<Path> files = new ArrayList<>();
        long records = 0;
        java.util.Set<String> nodes = new java.util.TreeSet<>();
        List<EdgeKey> edges = PetshopGraph.read(dir.resolve("graph.csv"), NAMESPACE);
        Path graph = out.resolve("graph.json");
        KnownGraphFile.write(graph, "PetShop " + scenario + "/graph.csv (CC-BY-4.0, amazon-science/petshop-root-cause-analysis)", edges);
        files.add(graph);
        Path attribution = out.resolve("ATTRIBUTION.md");
        Files.writeString(attribution, ATTRIBUTION);
        files.add(attribution);

        Path noissue = dir.resolve("noissue").resolve("metrics.csv");
        if (Files.isRegularFile(noissue)) {
            Path rec = out.resolve(scenario + "-noissue.baseline.lkrec");
            records += writeRecording(PetshopMetrics.read(noissue), rec, periodS, nodes, scenario + "/noissue");
            files.add(rec);
        }
        int issues = 0;
        for (String split : List.of("train", "test")) {
            Path splitDir = dir.resolve(split);
            if (!Files.isDirectory(splitDir)) {
                continue;
            }
            List<Path> issueDirs;
            try (Stream<Path> s = Files.list(splitDir)) {
                issueDirs = s.filter(p -> Files.isRegularFile(p.resolve("metrics.csv"))).sorted().toList();
            }
            for (Path issue : issueDirs) {
                String stem = scenario + "-" + split + "-" + issue.getFileName();
                PetshopMetrics metrics = PetshopMetrics.read(issue.resolve("metrics.csv"));
                Path rec = out.resolve(stem + ".lkrec");
                records += writeRecording(metrics, rec, periodS, nodes, scenario + "/" + split + "/" + issue.getFileName());
                Path labels = out.resolve(stem + ".labels.json");
                LabelsFile.write(labels, new GroundTruth(List.of(incident(issue.resolve("target.json"), metrics, periodS))));
                files.add(rec);
                files.add(labels);
                issues++;
            }
        }
        if (issues == 0) {
            throw new IllegalArgumentException("The PetShop scenario " + dir + " holds no issue_N/metrics.csv under train/ or test/.");
        }
        return new Result(issues, records, nodes.size(), edges.size(), files);
    }

    /** The incident of one issue: root_cause.node from the symptom's timestamp to the end of the issue's data. */
    static Incident incident(Path targetJson, PetshopMetrics metrics, int periodS) throws IOException {
        JsonNode t;
        try {
            t = MAPPER.readTree(Files.readString(targetJson));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(targetJson + " is not valid JSON.");
        }
        String node = t.path("root_cause").path("node").asText("");
        JsonNode ts = t.path("target").path("timestamp");
        if (node.isEmpty() || !ts.isNumber()) {
            throw new IllegalArgumentException(targetJson + " lacks root_cause.node or target.timestamp.");
        }
        long start = Math.round(ts.asDouble() * 1000);
        long end = Math.max(start, Math.round(metrics.rows().get(metrics.rows().size() - 1).timestampS() * 1000) + periodS * 1000L);
        String command = t.path("metadata").path("reproducibility").path("command").asText("");
        String symptom = t.path("target").path("node").asText("") + " " + t.path("target").path("metric").asText("");
        FaultType type = command.contains("delay") || command.contains("sleep") ? FaultType.LATENCY : FaultType.OTHER;
        return new Incident(type, NAMESPACE, node, start, end, 1.0,
                "PetShop (CC-BY-4.0): symptom " + symptom.trim() + "; injected by: " + command);
    }

    static long writeRecording(PetshopMetrics m, Path file, int periodS, java.util.Set<String> nodes, String source) throws IOException {
        Map<String, Map<String, Integer>> byNode = m.byNode();
        long n = 0;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "PetShop dataset (CC-BY-4.0, amazon-science/petshop-root-cause-analysis): " + source);
        meta.put("period_s", Integer.toString(periodS));
        try (RecordingWriter w = RecordingWriter.create(file, Compression.ZSTD, meta)) {
            for (PetshopMetrics.Row row : m.rows()) {
                // a period's aggregate is known at its end: stamp it just before the next period starts
                long ts = Math.round(row.timestampS() * 1000) + periodS * 1000L - 1;
                for (Map.Entry<String, Map<String, Integer>> e : byNode.entrySet()) {
                    Map<String, Double> values = PetshopMapping.values(e.getValue(), row.values(), periodS);
                    if (values.isEmpty()) {
                        continue;
                    }
                    nodes.add(e.getKey());
                    MetricRecord r = new MetricRecord(ts, Workload.of(NAMESPACE, e.getKey()), values);
                    w.write(new RecordedRecord(r.topic(), RecordedRecord.NO_PARTITION, r.key().getBytes(StandardCharsets.UTF_8),
                            TelemetryCodec.encode(r), ts));
                    n++;
                }
            }
        }
        return n;
    }

    static String scenarios(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return "nothing: it is not a directory";
        }
        try (Stream<Path> s = Files.list(root)) {
            List<String> names = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            return names.isEmpty() ? "none" : String.join(", ", names);
        }
    }
}
