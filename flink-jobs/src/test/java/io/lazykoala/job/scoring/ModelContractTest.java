package io.lazykoala.job.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A contract as model-training/lazykoala_training/contract.py writes it. */
    static ObjectNode validContract() {
        ObjectNode c = JSON.createObjectNode();
        c.put("format", 1);
        c.put("input_name", "images");
        c.put("output_name", "reconstruction");
        c.putArray("input_shape").add(-1).add(3).add(8).add(13);
        ImageLayout.STANDARD_FEATURES.forEach(c.putArray("features")::add);
        c.putArray("channel_windows_s").add(10.0).add(60.0).add(300.0);
        c.putArray("channel_names").add("short").add("medium").add("long");
        c.put("step_s", 5.0);
        List.of(0, 1, 2, 4, 8, 16, 32, 64).forEach(c.putArray("lookback_offsets")::add);
        c.putObject("normalisation").put("kind", "padded-minmax").put("padding", 1.3);
        c.putObject("calibration").putObject("score_quantiles")
                .put("0.5", 0.001).put("0.9", 0.002).put("0.99", 0.004).put("0.999", 0.008);
        c.put("version", "test-1");
        c.putObject("training_data").put("kind", "synthetic");
        return c;
    }

    private static ModelContract parse(ObjectNode c) {
        return ModelContract.parse(c.toString(), "m.onnx");
    }

    @Test
    void parsesWhatTheTrainerWrites() {
        ModelContract c = parse(validContract());
        assertThat(c.version()).isEqualTo("test-1");
        assertThat(c.features()).isEqualTo(ImageLayout.STANDARD_FEATURES);
        assertThat(c.inputShape()).containsExactly(-1L, 3L, 8L, 13L);
        assertThat(c.pixels()).isEqualTo(312);
        assertThat(c.channelNames()).containsExactly("short", "medium", "long");
        assertThat(c.calibration().health(0.008)).isCloseTo(0.5, within(1e-12));
        assertThat(c.trainingData()).contains("synthetic");
        c.checkMatches(ImageLayout.standard());
    }

    @Test
    void featureCountMismatchIsOneSentence() {
        ImageLayout l = ImageLayout.standard();
        ImageLayout twelve = new ImageLayout(l.features().subList(0, 12), l.channelWindowsS(), l.stepS(),
                l.lookbackOffsets(), l.normalisation(), l.padding());
        assertThatThrownBy(() -> parse(validContract()).checkMatches(twelve))
                .isInstanceOf(ModelContractException.class)
                .hasMessage("model m.onnx expects 13 features but the job is configured with 12");
    }

    @Test
    void everyLayoutFieldIsChecked() {
        ImageLayout l = ImageLayout.standard();
        List<String> swapped = new ArrayList<>(l.features());
        swapped.set(3, "duration_p95_ms");
        swapped.set(4, "duration_mean_ms");
        ModelContract c = parse(validContract());
        assertThatThrownBy(() -> c.checkMatches(new ImageLayout(swapped, l.channelWindowsS(), 5, l.lookbackOffsets(), l.normalisation(), 1.3)))
                .hasMessage("model m.onnx expects feature 3 to be duration_mean_ms but the job is configured with duration_p95_ms there");
        assertThatThrownBy(() -> c.checkMatches(new ImageLayout(l.features(), List.of(10.0, 60.0, 600.0), 5, l.lookbackOffsets(), l.normalisation(), 1.3)))
                .hasMessage("model m.onnx expects channel windows of [10.0, 60.0, 300.0] s but the job is configured with [10.0, 60.0, 600.0] s");
        assertThatThrownBy(() -> c.checkMatches(new ImageLayout(l.features(), l.channelWindowsS(), 10, l.lookbackOffsets(), l.normalisation(), 1.3)))
                .hasMessage("model m.onnx expects a step of 5 s but the job is configured with 10 s");
        assertThatThrownBy(() -> c.checkMatches(new ImageLayout(l.features(), l.channelWindowsS(), 5, List.of(0, 1, 2, 3, 4, 5, 6, 7), l.normalisation(), 1.3)))
                .hasMessage("model m.onnx expects look-back offsets [0, 1, 2, 4, 8, 16, 32, 64] but the job is configured with [0, 1, 2, 3, 4, 5, 6, 7]");
        assertThatThrownBy(() -> c.checkMatches(new ImageLayout(l.features(), l.channelWindowsS(), 5, l.lookbackOffsets(), "zscore", 1.3)))
                .hasMessage("model m.onnx expects padded-minmax normalisation but the job is configured with zscore");
        assertThatThrownBy(() -> c.checkMatches(new ImageLayout(l.features(), l.channelWindowsS(), 5, l.lookbackOffsets(), l.normalisation(), 1.5)))
                .hasMessage("model m.onnx expects normalisation padding 1.3 but the job is configured with 1.5");
    }

    @Test
    void missingOrBrokenContractsAreRefused() {
        assertThatThrownBy(() -> ModelContract.parse(null, "m.onnx"))
                .hasMessage("model m.onnx carries no lazykoala.contract metadata, so it was not written by model-training/ and cannot be used");
        assertThatThrownBy(() -> ModelContract.parse("{nope", "m.onnx"))
                .isInstanceOf(ModelContractException.class)
                .hasMessageStartingWith("model m.onnx has a lazykoala.contract that is not valid JSON");
        ObjectNode noStep = validContract();
        noStep.remove("step_s");
        assertThatThrownBy(() -> parse(noStep)).hasMessage("model m.onnx has no step_s in its contract");
        ObjectNode noTail = validContract();
        ((ObjectNode) noTail.path("calibration").path("score_quantiles")).remove("0.999");
        assertThatThrownBy(() -> parse(noTail)).hasMessage("model m.onnx has no calibration score quantile 0.999");
        ObjectNode decreasing = validContract();
        ((ObjectNode) decreasing.path("calibration").path("score_quantiles")).put("0.99", 0.0001);
        assertThatThrownBy(() -> parse(decreasing)).hasMessageStartingWith("model m.onnx cannot be used because the calibration score at quantile");
        ObjectNode badShape = validContract();
        badShape.putArray("input_shape").add(-1).add(3).add(8).add(12);
        assertThatThrownBy(() -> parse(badShape).checkMatches(ImageLayout.standard()))
                .hasMessage("model m.onnx declares input shape [-1, 3, 8, 12] which does not match its own 3 channels, 8 rows and 13 features");
    }
}
