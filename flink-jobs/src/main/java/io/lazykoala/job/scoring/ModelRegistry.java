package io.lazykoala.job.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The base model plus the per-service models, loaded once per reference and checked against the job's
 * image layout. Not thread-safe (one per scoring thread, like {@link ScoringModel}).
 *
 * <p>A model reference (the {@code modelRef} of {@code lazykoala.config}) is one of:
 * <ul>
 *   <li>{@code ""} (or null): the base model;</li>
 *   <li>{@code classpath:models/x.onnx}: a resource on the job's classpath;</li>
 *   <li>{@code file:/abs/x.onnx}, an absolute path, or a path relative to the model directory.</li>
 * </ul>
 * The base model must load, else start-up fails with one sentence. A per-service model that fails to
 * load (missing, no contract, different layout) does not stop the job: that service is scored with the
 * base model and the reason is kept in {@link #rejections()} for counting and reporting.
 */
public final class ModelRegistry implements AutoCloseable {
    /** The base model shipped in flink-jobs (trained by model-training/retrain.sh). */
    public static final String SHIPPED_BASE_MODEL = "classpath:models/base.onnx";
    public static final int DEFAULT_MAX_BATCH = 256;

    private final ImageLayout layout;
    private final Path modelDir;
    private final int maxBatch;
    private final ScoringModel base;
    private final Map<String, ScoringModel> models = new HashMap<>();
    private final Map<String, String> rejections = new LinkedHashMap<>();

    private ModelRegistry(ImageLayout layout, Path modelDir, int maxBatch, ScoringModel base) {
        this.layout = layout;
        this.modelDir = modelDir;
        this.maxBatch = maxBatch;
        this.base = base;
    }

    /**
     * Opens the registry and loads the base model now, so a missing or incompatible base model stops
     * start-up.
     *
     * @param baseRef  reference of the base model (e.g. {@link #SHIPPED_BASE_MODEL})
     * @param modelDir directory relative model references resolve against (may be null)
     * @throws ModelContractException one sentence naming the base model and what is wrong
     */
    public static ModelRegistry open(ImageLayout layout, String baseRef, Path modelDir, int maxBatch) {
        if (baseRef == null || baseRef.isBlank()) {
            throw new ModelContractException("no base model is configured");
        }
        ScoringModel base = load(baseRef, "", layout, modelDir, maxBatch);
        return new ModelRegistry(layout, modelDir, maxBatch, base);
    }

    /** The shipped base model with the standard layout. */
    public static ModelRegistry openShipped() {
        return open(ImageLayout.standard(), SHIPPED_BASE_MODEL, null, DEFAULT_MAX_BATCH);
    }

    public ScoringModel base() {
        return base;
    }

    /**
     * The model of a reference, loading it on first use.
     *
     * @throws ModelContractException when it cannot be used (one sentence)
     */
    public ScoringModel resolve(String ref) {
        if (ref == null || ref.isEmpty()) {
            return base;
        }
        ScoringModel m = models.get(ref);
        if (m == null) {
            m = load(ref, ref, layout, modelDir, maxBatch);
            models.put(ref, m);
        }
        return m;
    }

    /** The model of a reference, or the base model when it cannot be used (the reason goes to {@link #rejections()}). */
    public ScoringModel modelFor(String ref) {
        if (ref == null || ref.isEmpty()) {
            return base;
        }
        ScoringModel m = models.get(ref);
        if (m != null) {
            return m;
        }
        if (rejections.containsKey(ref)) {
            return base;
        }
        try {
            return resolve(ref);
        } catch (ModelContractException e) {
            rejections.put(ref, e.getMessage());
            return base;
        }
    }

    /** Forgets a reference (e.g. the file behind it was replaced), so the next use loads it again. */
    public void forget(String ref) {
        ScoringModel m = models.remove(ref);
        if (m != null) {
            m.close();
        }
        rejections.remove(ref);
    }

    /** Model references that could not be used, with the one-sentence reason; their services use the base model. */
    public Map<String, String> rejections() {
        return Collections.unmodifiableMap(rejections);
    }

    private static ScoringModel load(String ref, String modelRef, ImageLayout layout, Path modelDir, int maxBatch) {
        byte[] bytes;
        String name;
        if (ref.startsWith("classpath:")) {
            String resource = ref.substring("classpath:".length()).replaceFirst("^/+", "");
            name = "classpath:" + resource;
            try (InputStream in = ModelRegistry.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ModelContractException("model " + name + " is not on the classpath");
                }
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new ModelContractException("model " + name + " could not be read (" + e.getMessage() + ")", e);
            }
        } else {
            Path path = Path.of(ref.startsWith("file:") ? ref.substring("file:".length()) : ref);
            if (!path.isAbsolute() && modelDir != null) {
                path = modelDir.resolve(path);
            }
            name = path.toString();
            try {
                bytes = Files.readAllBytes(path);
            } catch (NoSuchFileException e) {
                throw new ModelContractException("model " + name + " does not exist", e);
            } catch (IOException e) {
                throw new ModelContractException("model " + name + " could not be read (" + e.getMessage() + ")", e);
            }
        }
        return ScoringModel.open(modelRef, name, bytes, layout, maxBatch);
    }

    @Override
    public void close() {
        models.values().forEach(ScoringModel::close);
        models.clear();
        base.close();
    }
}
