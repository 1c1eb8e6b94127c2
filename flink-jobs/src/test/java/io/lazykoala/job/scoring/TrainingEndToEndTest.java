package io.lazykoala.job.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A tiny end-to-end training run: model-training/ trains on a small synthetic tensor set for 2 epochs,
 * fine-tunes a per-service model from it, and the Java scorer loads both ONNX files, validates their
 * contracts and reproduces the trainer's calibration; also runs model-training/tests. Skips (with the reason printed) only where
 * /usr/bin/python3 lacks torch, onnx, numpy or matplotlib.
 */
class TrainingEndToEndTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static Path trainingDir;

    @BeforeAll
    static void findPython() throws Exception {
        trainingDir = locateModelTraining();
        Result probe = run(List.of(PYTHON, "-c", "import torch, onnx, numpy, matplotlib"), Path.of("."), 60);
        if (probe.exit != 0) {
            String reason = "skipping the end-to-end training test: " + PYTHON + " cannot import torch/onnx/numpy/matplotlib ("
                    + lastLine(probe.output) + "); install python3-torch python3-onnx python3-numpy python3-matplotlib";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
    }

    @Test
    void pythonUnitTestsPass() throws Exception {
        check(run(List.of(PYTHON, "-m", "unittest", "discover", "-s", "tests"), trainingDir, 300));
    }

    @Test
    void trainFinetuneAndScoreInJava(@TempDir Path tmp) throws Exception {
        Path tensors = tmp.resolve("tensors");
        Path base = tmp.resolve("base.onnx");
        Path tuned = tmp.resolve("svc-1.onnx");
        check(run(List.of(PYTHON, "make_synthetic.py", "--out", tensors.toString(), "--services", "3", "--steps", "420", "--seed", "3"), trainingDir, 120));
        check(run(List.of(PYTHON, "train.py", "--tensors", tensors.toString(), "--out", base.toString(), "--epochs", "2",
                "--card", tmp.resolve("card/MODEL_CARD.md").toString(), "--seed", "1"), trainingDir, 300));
        check(run(List.of(PYTHON, "finetune.py", "--base", base.toString(), "--tensors", tensors.toString(),
                "--service", "synthetic/svc-1", "--out", tuned.toString(), "--epochs", "1"), trainingDir, 300));
        assertThat(tmp.resolve("card/MODEL_CARD.md")).content().contains("SYNTHETIC", "| 0.999 |");
        assertThat(tmp.resolve("card/model_card_loss.png")).isNotEmptyFile();
        assertThat(tmp.resolve("card/model_card_calibration.png")).isNotEmptyFile();

        NpyFloats images = NpyFloats.read(tensors.resolve("synthetic.npy"));
        assertThat(images.shape()).containsExactly(images.shape()[0], 3, 8, 13);
        JsonNode sidecar = new ObjectMapper().readTree(tensors.resolve("synthetic.json").toFile());
        long[] ts = new long[(int) images.shape()[0]];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = sidecar.get("timestamps").get(i).asLong();
        }
        // The trainer holds out rows after the 0.8 quantile of the timestamps (numpy's linear method).
        long[] sorted = ts.clone();
        Arrays.sort(sorted);
        double h = (sorted.length - 1) * 0.8;
        int lo = (int) Math.floor(h);
        double cut = sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]);

        try (ModelRegistry registry = ModelRegistry.open(ImageLayout.standard(), base.toString(), null, 64)) {
            ModelContract contract = registry.base().contract();
            assertThat(contract.trainingData()).contains("synthetic");
            List<ScoringRequest> heldOut = new ArrayList<>();
            for (int i = 0; i < ts.length; i++) {
                if (ts[i] > cut) {
                    heldOut.add(new ScoringRequest(sidecar.get("services").get(i).asText(), "",
                            Arrays.copyOfRange(images.data(), i * 312, (i + 1) * 312)));
                }
            }
            OnnxScorer scorer = new OnnxScorer(registry, 3);
            double[] scores = scorer.score(heldOut).stream().mapToDouble(ServiceScore::anomalyScore).sorted().toArray();
            // numpy quantile(method="higher") at 0.5: the element at ceil((n-1)/2).
            double javaMedian = scores[(int) Math.ceil((scores.length - 1) * 0.5)];
            assertThat(javaMedian).isCloseTo(contract.quantiles().get("0.5"), within(1e-3 * javaMedian));

            // The fine-tuned model is used for its service only, and reports the base model it came from.
            String ref = "file:" + tuned;
            List<ServiceScore> two = scorer.score(List.of(
                    new ScoringRequest("synthetic/svc-1", ref, heldOut.get(0).image()),
                    new ScoringRequest("synthetic/svc-0", "", heldOut.get(0).image())));
            assertThat(registry.rejections()).isEmpty();
            assertThat(two.get(0).modelRef()).isEqualTo(ref);
            assertThat(two.get(0).modelVersion()).startsWith(contract.version() + "-ft-synthetic_svc-1-");
            assertThat(two.get(1).modelVersion()).isEqualTo(contract.version());
        }
    }

    private static Path locateModelTraining() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("model-training/train.py"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("model-training/train.py not found above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("model-training");
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Path dir, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        // Read while waiting so a chatty process never blocks on a full pipe.
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static void check(Result r) {
        assertThat(r.exit).as("exit code; output:%n%s", r.output).isZero();
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }
}
