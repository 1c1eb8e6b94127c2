package io.lazykoala.job.scoring;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Scoring with the shipped base model (flink-jobs/src/main/resources/models/base.onnx). */
class OnnxScorerTest {
    private static ModelRegistry registry;

    @BeforeAll
    static void open() {
        registry = ModelRegistry.openShipped();
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    private static float[] flat(float value) {
        float[] image = new float[312];
        Arrays.fill(image, value);
        return image;
    }

    @Test
    void shippedModelCarriesAUsableContract() {
        ModelContract c = registry.base().contract();
        assertThat(c.features()).isEqualTo(ImageLayout.STANDARD_FEATURES);
        assertThat(c.version()).isNotBlank();
        assertThat(c.quantiles()).containsKeys("0.5", "0.9", "0.99", "0.999");
        assertThat(c.trainingData()).isNotBlank();
    }

    @Test
    void aSpikedFeatureLowersHealthAndLeadsTheExplanation() {
        float[] calm = flat(0.5f);
        float[] spiked = flat(0.5f);
        int errors = ImageLayout.STANDARD_FEATURES.indexOf("errors_per_s");
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < 8; r++) {
                spiked[c * 8 * 13 + r * 13 + errors] = 3.0f;
            }
        }
        List<ServiceScore> s = new OnnxScorer(registry, 3).score(List.of(
                new ScoringRequest("shop/calm", "", calm), new ScoringRequest("shop/broken", "", spiked)));
        assertThat(s.get(0).service()).isEqualTo("shop/calm");
        assertThat(s.get(1).anomalyScore()).isGreaterThan(5 * s.get(0).anomalyScore());
        assertThat(s.get(1).health()).isLessThan(0.25).isLessThanOrEqualTo(s.get(0).health());
        assertThat(s.get(1).topFeatures()).isNotEmpty();
        assertThat(s.get(1).topFeatures().get(0).feature()).isEqualTo("errors_per_s");
        // More than twice an even split over the 13 features (the rest of the image is reconstructed
        // worse too: the spike moves the whole code).
        assertThat(s.get(1).topFeatures().get(0).share()).isGreaterThan(2.0 / 13);
        assertThat(s.get(1).channelShares().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(s.get(1).modelVersion()).isEqualTo(registry.base().version());
    }

    @Test
    void batchingDoesNotChangeScores() {
        Random random = new Random(5);
        List<ScoringRequest> requests = new ArrayList<>();
        for (int i = 0; i < 2 * ModelRegistry.DEFAULT_MAX_BATCH + 37; i++) {
            float[] image = new float[312];
            for (int p = 0; p < image.length; p++) {
                image[p] = random.nextFloat();
            }
            requests.add(new ScoringRequest("svc-" + i, "", image));
        }
        OnnxScorer scorer = new OnnxScorer(registry, 3);
        List<ServiceScore> together = scorer.score(requests);
        for (int i : new int[] {0, 255, 256, 511, 512, requests.size() - 1}) {
            ServiceScore alone = scorer.score(List.of(requests.get(i))).get(0);
            assertThat(together.get(i).service()).isEqualTo("svc-" + i);
            assertThat(together.get(i).anomalyScore()).isCloseTo(alone.anomalyScore(), within(1e-6 * alone.anomalyScore()));
        }
        assertThat(scorer.imagesScored()).isEqualTo(requests.size() + 6);
    }

    @Test
    void unusableServiceModelFallsBackToTheBaseModelWithAReason(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("garbage.onnx"), new byte[] {1, 2, 3, 4});
        try (ModelRegistry r = ModelRegistry.open(ImageLayout.standard(), ModelRegistry.SHIPPED_BASE_MODEL, dir, 16)) {
            List<ServiceScore> s = new OnnxScorer(r, 3).score(List.of(
                    new ScoringRequest("a/missing", "missing.onnx", flat(0.5f)),
                    new ScoringRequest("a/garbage", "garbage.onnx", flat(0.5f)),
                    new ScoringRequest("a/base", "", flat(0.5f))));
            assertThat(s).extracting(ServiceScore::modelRef).containsExactly("", "", "");
            assertThat(s.get(0).anomalyScore()).isEqualTo(s.get(2).anomalyScore());
            assertThat(r.rejections()).containsEntry("missing.onnx", "model " + dir.resolve("missing.onnx") + " does not exist");
            assertThat(r.rejections().get("garbage.onnx")).startsWith("model " + dir.resolve("garbage.onnx") + " is not a readable ONNX model (");
            assertThatThrownBy(() -> r.resolve("missing.onnx")).isInstanceOf(ModelContractException.class);
        }
    }

    @Test
    void aPerServiceModelByFileReferenceIsUsedForThatService(@TempDir Path dir) throws IOException {
        try (var in = OnnxScorerTest.class.getClassLoader().getResourceAsStream("models/base.onnx")) {
            Files.write(dir.resolve("copy.onnx"), in.readAllBytes());
        }
        String ref = "file:" + dir.resolve("copy.onnx");
        List<ServiceScore> s = new OnnxScorer(registry, 3).score(List.of(
                new ScoringRequest("a/own", ref, flat(0.4f)), new ScoringRequest("a/base", "", flat(0.4f))));
        assertThat(s.get(0).modelRef()).isEqualTo(ref);
        assertThat(s.get(1).modelRef()).isEmpty();
        assertThat(registry.rejections()).doesNotContainKey(ref);
        assertThat(s.get(0).anomalyScore()).isCloseTo(s.get(1).anomalyScore(), within(1e-9));
    }

    @Test
    void baseModelOfAnotherLayoutStopsStartUpWithOneSentence() {
        ImageLayout l = ImageLayout.standard();
        ImageLayout twelve = new ImageLayout(l.features().subList(0, 12), l.channelWindowsS(), l.stepS(),
                l.lookbackOffsets(), l.normalisation(), l.padding());
        assertThatThrownBy(() -> ModelRegistry.open(twelve, ModelRegistry.SHIPPED_BASE_MODEL, null, 8))
                .isInstanceOf(ModelContractException.class)
                .hasMessage("model classpath:models/base.onnx expects 13 features but the job is configured with 12");
        assertThatThrownBy(() -> ModelRegistry.open(l, "classpath:models/none.onnx", null, 8))
                .hasMessage("model classpath:models/none.onnx is not on the classpath");
    }

    @Test
    void wrongImageSizeIsAProgrammingError() {
        assertThatThrownBy(() -> new OnnxScorer(registry, 3).score(List.of(new ScoringRequest("a/b", "", new float[311]))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 311 values");
    }

    @Test
    void nonFiniteImagesScoreNanAndAreCounted() {
        float[] image = flat(0.5f);
        image[7] = Float.NaN;
        OnnxScorer scorer = new OnnxScorer(registry, 3);
        List<ServiceScore> s = scorer.score(List.of(new ScoringRequest("a/nan", "", image), new ScoringRequest("a/ok", "", flat(0.5f))));
        assertThat(s.get(0).anomalyScore()).isNaN();
        assertThat(s.get(0).health()).isNaN();
        assertThat(s.get(1).anomalyScore()).isFinite();
        assertThat(scorer.nonFiniteImages()).isEqualTo(1);
    }
}
