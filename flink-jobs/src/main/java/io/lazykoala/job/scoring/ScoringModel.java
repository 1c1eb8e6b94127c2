package io.lazykoala.job.scoring;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * One loaded autoencoder: its ONNX Runtime session, its contract and the reusable native buffers it is
 * fed through. Not thread-safe: each scoring thread (each Flink subtask) owns its own instance.
 *
 * <p>Input and output live in direct buffers that ONNX Runtime reads and writes in place (the output is
 * a pinned tensor), so a batch costs two bulk copies and no per-batch allocation when full.
 */
public final class ScoringModel implements AutoCloseable {
    private final String ref;
    private final ModelContract contract;
    private final HealthCalibration calibration;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final int maxBatch;
    private final int pixels;
    private final long[] imageShape;
    private final FloatBuffer input;
    private final FloatBuffer output;
    private final OnnxTensor fullInput;
    private final OnnxTensor fullOutput;

    private ScoringModel(String ref, ModelContract contract, OrtEnvironment env, OrtSession session, int maxBatch)
            throws OrtException {
        this.ref = ref;
        this.contract = contract;
        this.calibration = contract.calibration();
        this.env = env;
        this.session = session;
        this.maxBatch = maxBatch;
        this.pixels = contract.pixels();
        this.imageShape = new long[] {contract.channelWindowsS().size(), contract.lookbackOffsets().size(), contract.features().size()};
        this.input = ByteBuffer.allocateDirect(maxBatch * pixels * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        this.output = ByteBuffer.allocateDirect(maxBatch * pixels * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        this.fullInput = OnnxTensor.createTensor(env, input, shape(maxBatch));
        this.fullOutput = OnnxTensor.createTensor(env, output, shape(maxBatch));
    }

    /**
     * Opens a model from its bytes and checks it against the job's image layout.
     *
     * @param ref      the reference it was loaded by ("" for the base model)
     * @param name     where it came from, for messages (a path or classpath resource)
     * @param maxBatch images per ONNX Runtime call (the buffers hold this many)
     * @throws ModelContractException one sentence naming the model and what is wrong with it
     */
    public static ScoringModel open(String ref, String name, byte[] onnx, ImageLayout layout, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // One thread per session: parallelism comes from Flink slots, not from ORT pools that would
            // fight over the same cores (DESIGN.md).
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(onnx, options);
        } catch (OrtException e) {
            throw new ModelContractException("model " + name + " is not a readable ONNX model (" + firstLine(e.getMessage()) + ")", e);
        }
        try {
            ModelContract contract = ModelContract.parse(
                    session.getMetadata().getCustomMetadataValue(ModelContract.METADATA_KEY).orElse(null), name);
            contract.checkMatches(layout);
            checkGraph(session, contract, name);
            return new ScoringModel(ref, contract, env, session, maxBatch);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ModelContractException("model " + name + " could not be prepared for scoring (" + firstLine(e.getMessage()) + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static void checkGraph(OrtSession session, ModelContract contract, String name) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (!inputs.containsKey(contract.inputName())) {
            throw new ModelContractException("model " + name + " names its input " + contract.inputName()
                    + " in its contract but its graph has " + inputs.keySet());
        }
        if (!outputs.containsKey(contract.outputName())) {
            throw new ModelContractException("model " + name + " names its output " + contract.outputName()
                    + " in its contract but its graph has " + outputs.keySet());
        }
        if (inputs.get(contract.inputName()).getInfo() instanceof TensorInfo t) {
            long[] dims = t.getShape();
            long[] want = {-1, contract.channelWindowsS().size(), contract.lookbackOffsets().size(), contract.features().size()};
            boolean ok = dims.length == 4;
            for (int i = 1; ok && i < 4; i++) {
                ok = dims[i] == want[i] || dims[i] < 0;
            }
            if (!ok) {
                throw new ModelContractException("model " + name + " has a graph input of shape " + Arrays.toString(dims)
                        + " but its contract describes " + Arrays.toString(want));
            }
            if (dims[0] > 0 && dims[0] != 1) {
                throw new ModelContractException("model " + name + " has a fixed batch size of " + dims[0]
                        + " but a dynamic batch axis is required");
            }
        }
    }

    private long[] shape(int n) {
        return new long[] {n, imageShape[0], imageShape[1], imageShape[2]};
    }

    /**
     * Reconstructs {@code count} images lying one after another in {@code images} (each {@link #pixels()}
     * floats) into {@code reconstructions} at the same positions.
     */
    public void reconstruct(float[] images, int count, float[] reconstructions) {
        for (int start = 0; start < count; start += maxBatch) {
            int n = Math.min(maxBatch, count - start);
            int len = n * pixels;
            input.clear();
            input.put(images, start * pixels, len);
            try {
                if (n == maxBatch) {
                    run(fullInput, fullOutput);
                } else {
                    try (OnnxTensor in = OnnxTensor.createTensor(env, input.slice(0, len), shape(n));
                         OnnxTensor out = OnnxTensor.createTensor(env, output.slice(0, len), shape(n))) {
                        run(in, out);
                    }
                }
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed to run model " + contract.version() + ": " + e.getMessage(), e);
            }
            output.clear();
            output.get(reconstructions, start * pixels, len);
        }
    }

    private void run(OnnxTensor in, OnnxTensor out) throws OrtException {
        // The output is pinned to our direct buffer, so the result holds nothing we need to read.
        try (OrtSession.Result ignored = session.run(Map.of(contract.inputName(), in), Map.of(contract.outputName(), out))) {
            // nothing to do
        }
    }

    public ModelContract contract() {
        return contract;
    }

    public HealthCalibration calibration() {
        return calibration;
    }

    public String ref() {
        return ref;
    }

    public String version() {
        return contract.version();
    }

    public int pixels() {
        return pixels;
    }

    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public void close() {
        fullInput.close();
        fullOutput.close();
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // closing a session that failed validation; nothing more to release
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
