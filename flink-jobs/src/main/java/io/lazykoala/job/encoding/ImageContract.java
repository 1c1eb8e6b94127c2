package io.lazykoala.job.encoding;

import io.lazykoala.job.features.FeatureSet;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image layout and normalisation settings, one object shared by the job, {@link TensorExport} and the model
 * metadata check, so training and serving agree by construction.
 *
 * @param stepS            step length, seconds
 * @param channelWindowsS  trailing window of each channel (R, G, B), seconds; each a multiple of the step
 * @param lookbackOffsets  row offsets, in steps back from now
 * @param normalisation    padded min-max settings
 */
public record ImageContract(int stepS, int[] channelWindowsS, int[] lookbackOffsets, Normalisation normalisation)
        implements Serializable {

    public static final int CHANNELS = 3;
    public static final int ROWS = 8;
    public static final int FEATURES = FeatureSet.COUNT;
    /** Values per image: 3 × 8 × 13 = 312. */
    public static final int IMAGE_SIZE = CHANNELS * ROWS * FEATURES;
    public static final List<String> CHANNEL_NAMES = List.of("short", "medium", "long");
    public static final String INPUT_NAME = "images";
    public static final String OUTPUT_NAME = "reconstruction";
    public static final int VERSION = 1;

    public static final ImageContract DEFAULT = new ImageContract(5, new int[] {10, 60, 300},
            new int[] {0, 1, 2, 4, 8, 16, 32, 64}, Normalisation.DEFAULT);

    public ImageContract {
        if (stepS <= 0) {
            throw new IllegalArgumentException("step must be positive, got " + stepS + " s");
        }
        if (channelWindowsS.length != CHANNELS || lookbackOffsets.length != ROWS) {
            throw new IllegalArgumentException("an image has " + CHANNELS + " channel windows and " + ROWS
                    + " look-back offsets, got " + channelWindowsS.length + " and " + lookbackOffsets.length);
        }
        for (int w : channelWindowsS) {
            if (w < stepS || w % stepS != 0) {
                throw new IllegalArgumentException("channel window " + w + " s is not a positive multiple of the "
                        + stepS + " s step");
            }
        }
        for (int i = 0; i < ROWS; i++) {
            if (lookbackOffsets[i] < 0 || (i > 0 && lookbackOffsets[i] <= lookbackOffsets[i - 1])) {
                throw new IllegalArgumentException("look-back offsets must be increasing and non-negative: "
                        + Arrays.toString(lookbackOffsets));
            }
        }
        channelWindowsS = channelWindowsS.clone();
        lookbackOffsets = lookbackOffsets.clone();
    }

    /** The contract with another step (windows and offsets unchanged); PetShop's 5-minute data needs this. */
    public ImageContract withStep(int newStepS, int[] newWindowsS) {
        return new ImageContract(newStepS, newWindowsS, lookbackOffsets, normalisation);
    }

    public ImageContract withNormalisation(Normalisation n) {
        return new ImageContract(stepS, channelWindowsS, lookbackOffsets, n);
    }

    /** Window of channel {@code c} in steps (10 s, 60 s, 300 s at 5 s → 2, 12, 60). */
    public int windowSteps(int c) {
        return channelWindowsS[c] / stepS;
    }

    public int offset(int row) {
        return lookbackOffsets[row];
    }

    /** Steps of history an image needs: the oldest row's offset plus the longest window (64 + 60 = 124). */
    public int historySteps() {
        int maxW = 0;
        for (int c = 0; c < CHANNELS; c++) {
            maxW = Math.max(maxW, windowSteps(c));
        }
        return lookbackOffsets[ROWS - 1] + maxW;
    }

    /** Flat index of pixel (channel, row, feature) in C order [channel][row][feature]. */
    public static int index(int channel, int row, int feature) {
        return (channel * ROWS + row) * FEATURES + feature;
    }

    /**
     * The contract fields as plain maps and lists, for the export sidecar and the ONNX metadata
     * ({@code lazykoala.contract}), with the names DESIGN.md uses.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.put("input_name", INPUT_NAME);
        m.put("output_name", OUTPUT_NAME);
        m.put("input_shape", List.of(-1, CHANNELS, ROWS, FEATURES));
        m.put("features", FeatureSet.NAMES);
        m.put("feature_units", FeatureSet.UNITS);
        m.put("channels", CHANNEL_NAMES);
        m.put("channel_windows_s", Arrays.stream(channelWindowsS).boxed().toList());
        m.put("step_s", stepS);
        m.put("lookback_offsets", Arrays.stream(lookbackOffsets).boxed().toList());
        m.put("normalisation", normalisation.toMap());
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageContract c && c.stepS == stepS && Arrays.equals(c.channelWindowsS, channelWindowsS)
                && Arrays.equals(c.lookbackOffsets, lookbackOffsets) && c.normalisation.equals(normalisation);
    }

    @Override
    public int hashCode() {
        return stepS * 31 + Arrays.hashCode(channelWindowsS) * 17 + Arrays.hashCode(lookbackOffsets);
    }

    @Override
    public String toString() {
        return "ImageContract{step=" + stepS + "s, windows=" + Arrays.toString(channelWindowsS) + "s, offsets="
                + Arrays.toString(lookbackOffsets) + ", " + normalisation + "}";
    }
}
