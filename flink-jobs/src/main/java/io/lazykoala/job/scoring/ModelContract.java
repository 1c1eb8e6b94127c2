package io.lazykoala.job.scoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract an ONNX model carries in its metadata property {@value #METADATA_KEY} (written by
 * model-training/): what image it expects and how its scores are calibrated. See docs/MODEL.md.
 *
 * @param model        where the model came from (for messages)
 * @param inputName    graph input name ("images")
 * @param outputName   graph output name ("reconstruction")
 * @param inputShape   [-1, C, R, F]; -1 = dynamic batch
 * @param channelNames one name per channel ("short", "medium", "long"), used in explanations
 * @param quantiles    calibration.score_quantiles: probability -> score on held-out normal data
 * @param trainingData the training_data description as JSON text (for people)
 */
public record ModelContract(String model, String inputName, String outputName, List<Long> inputShape,
                            List<String> features, List<Double> channelWindowsS, List<String> channelNames,
                            double stepS, List<Integer> lookbackOffsets, String normalisation, double padding,
                            Map<String, Double> quantiles, String version, String trainingData) {

    public static final String METADATA_KEY = "lazykoala.contract";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DEFAULT_CHANNEL_NAMES = List.of("short", "medium", "long");

    public ModelContract {
        inputShape = List.copyOf(inputShape);
        features = List.copyOf(features);
        channelWindowsS = List.copyOf(channelWindowsS);
        channelNames = List.copyOf(channelNames);
        lookbackOffsets = List.copyOf(lookbackOffsets);
        quantiles = Map.copyOf(quantiles);
    }

    /**
     * Parses the contract JSON of a model.
     *
     * @throws ModelContractException one sentence naming the model and the missing or malformed field
     */
    public static ModelContract parse(String json, String model) {
        if (json == null) {
            throw new ModelContractException("model " + model + " carries no " + METADATA_KEY
                    + " metadata, so it was not written by model-training/ and cannot be used");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelContractException("model " + model + " has a " + METADATA_KEY + " that is not valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelContractException("model " + model + " has a " + METADATA_KEY + " that is not a JSON object");
        }
        Fields f = new Fields(root, model);
        List<Long> shape = new ArrayList<>();
        for (JsonNode d : f.array("input_shape")) {
            shape.add(d.asLong());
        }
        List<String> features = new ArrayList<>();
        f.array("features").forEach(n -> features.add(n.asText()));
        List<Double> windows = new ArrayList<>();
        f.array("channel_windows_s").forEach(n -> windows.add(n.asDouble()));
        List<Integer> offsets = new ArrayList<>();
        f.array("lookback_offsets").forEach(n -> offsets.add(n.asInt()));
        List<String> names = new ArrayList<>();
        if (root.path("channel_names").isArray() && root.path("channel_names").size() == windows.size()) {
            root.path("channel_names").forEach(n -> names.add(n.asText()));
        } else {
            for (int c = 0; c < windows.size(); c++) {
                names.add(c < DEFAULT_CHANNEL_NAMES.size() ? DEFAULT_CHANNEL_NAMES.get(c) : "channel" + c);
            }
        }
        JsonNode norm = f.object("normalisation");
        JsonNode cal = f.object("calibration");
        JsonNode q = cal.path("score_quantiles");
        if (!q.isObject() || q.isEmpty()) {
            throw new ModelContractException("model " + model + " has no calibration.score_quantiles in its contract");
        }
        Map<String, Double> quantiles = new LinkedHashMap<>();
        q.fields().forEachRemaining(e -> quantiles.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : null));
        for (String required : List.of("0.5", "0.9", "0.99", "0.999")) {
            if (!quantiles.containsKey(required)) {
                throw new ModelContractException("model " + model + " has no calibration score quantile " + required);
            }
        }
        try {
            HealthCalibration.fromQuantiles(quantiles);
        } catch (IllegalArgumentException e) {
            throw new ModelContractException("model " + model + " cannot be used because " + e.getMessage());
        }
        JsonNode td = root.path("training_data");
        return new ModelContract(model, f.text("input_name"), root.path("output_name").asText("reconstruction"),
                shape, features, windows, names, f.number("step_s"), offsets, norm.path("kind").asText(""),
                norm.path("padding").asDouble(Double.NaN), quantiles, f.text("version"),
                td.isMissingNode() ? "" : td.toString());
    }

    /** The health mapping of this model's calibration. */
    public HealthCalibration calibration() {
        return HealthCalibration.fromQuantiles(quantiles);
    }

    /** Floats per image this model takes (C x R x F). */
    public int pixels() {
        return features.size() * channelWindowsS.size() * lookbackOffsets.size();
    }

    /**
     * Refuses a model whose image differs from the job's.
     *
     * @throws ModelContractException one sentence naming the first mismatch
     */
    public void checkMatches(ImageLayout job) {
        if (features.size() != job.featureCount()) {
            throw mismatch("expects " + features.size() + " features but the job is configured with " + job.featureCount());
        }
        for (int i = 0; i < features.size(); i++) {
            if (!features.get(i).equals(job.features().get(i))) {
                throw mismatch("expects feature " + i + " to be " + features.get(i) + " but the job is configured with "
                        + job.features().get(i) + " there");
            }
        }
        if (!sameDoubles(channelWindowsS, job.channelWindowsS())) {
            throw mismatch("expects channel windows of " + channelWindowsS + " s but the job is configured with "
                    + job.channelWindowsS() + " s");
        }
        if (Math.abs(stepS - job.stepS()) > 1e-9) {
            throw mismatch("expects a step of " + fmt(stepS) + " s but the job is configured with " + fmt(job.stepS()) + " s");
        }
        if (!lookbackOffsets.equals(job.lookbackOffsets())) {
            throw mismatch("expects look-back offsets " + lookbackOffsets + " but the job is configured with "
                    + job.lookbackOffsets());
        }
        if (!normalisation.equals(job.normalisation())) {
            throw mismatch("expects " + (normalisation.isEmpty() ? "an unnamed" : normalisation)
                    + " normalisation but the job is configured with " + job.normalisation());
        }
        if (!(Math.abs(padding - job.padding()) <= 1e-9)) {
            throw mismatch("expects normalisation padding " + fmt(padding) + " but the job is configured with " + fmt(job.padding()));
        }
        List<Long> expectedShape = List.of((long) channelWindowsS.size(), (long) lookbackOffsets.size(), (long) features.size());
        if (inputShape.size() != 4 || !inputShape.subList(1, 4).equals(expectedShape)) {
            throw mismatch("declares input shape " + inputShape + " which does not match its own " + channelWindowsS.size()
                    + " channels, " + lookbackOffsets.size() + " rows and " + features.size() + " features");
        }
    }

    private ModelContractException mismatch(String what) {
        return new ModelContractException("model " + model + " " + what);
    }

    private static boolean sameDoubles(List<Double> a, List<Double> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (Math.abs(a.get(i) - b.get(i)) > 1e-9) {
                return false;
            }
        }
        return true;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Required-field access with one-sentence errors. */
    private record Fields(JsonNode root, String model) {
        JsonNode node(String name) {
            JsonNode n = root.get(name);
            if (n == null || n.isNull()) {
                throw new ModelContractException("model " + model + " has no " + name + " in its contract");
            }
            return n;
        }

        JsonNode array(String name) {
            JsonNode n = node(name);
            if (!n.isArray() || n.isEmpty()) {
                throw new ModelContractException("model " + model + " has a contract " + name + " that is not a non-empty list");
            }
            return n;
        }

        JsonNode object(String name) {
            JsonNode n = node(name);
            if (!n.isObject()) {
                throw new ModelContractException("model " + model + " has a contract " + name + " that is not an object");
            }
            return n;
        }

        String text(String name) {
            return node(name).asText();
        }

        double number(String name) {
            JsonNode n = node(name);
            if (!n.isNumber()) {
                throw new ModelContractException("model " + model + " has a contract " + name + " that is not a number");
            }
            return n.asDouble();
        }
    }
}
