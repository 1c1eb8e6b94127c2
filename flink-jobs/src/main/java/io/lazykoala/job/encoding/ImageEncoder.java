package io.lazykoala.job.encoding;

import io.lazykoala.job.features.FeatureSet;

/**
 * Turns raw window aggregates into the model's input image: float32 [3][8][13] in C order, normalised with the
 * service's {@link PaddedMinMax} bounds (each channel against its own bounds, every row against today's bounds, so
 * the rows show how the present compares with the recent past on one scale).
 */
public final class ImageEncoder {
    private ImageEncoder() {}

    /** The normalised image of {@code raw} (from {@link WindowAggregator#rawImage}). */
    public static float[] encode(double[] raw, PaddedMinMax bounds) {
        if (raw.length != ImageContract.IMAGE_SIZE) {
            throw new IllegalArgumentException("expected " + ImageContract.IMAGE_SIZE + " raw values, got " + raw.length);
        }
        float[] image = new float[ImageContract.IMAGE_SIZE];
        for (int c = 0; c < ImageContract.CHANNELS; c++) {
            for (int r = 0; r < ImageContract.ROWS; r++) {
                int base = ImageContract.index(c, r, 0);
                for (int f = 0; f < FeatureSet.COUNT; f++) {
                    image[base + f] = (float) bounds.normalise(c, f, raw[base + f]);
                }
            }
        }
        return image;
    }

    /** Row 0 of every channel (the windows ending now), [channel*13 + feature]: what the bounds learn from. */
    public static double[] currentAggregates(double[] raw) {
        double[] cur = new double[ImageContract.CHANNELS * FeatureSet.COUNT];
        for (int c = 0; c < ImageContract.CHANNELS; c++) {
            System.arraycopy(raw, ImageContract.index(c, 0, 0), cur, c * FeatureSet.COUNT, FeatureSet.COUNT);
        }
        return cur;
    }
}
