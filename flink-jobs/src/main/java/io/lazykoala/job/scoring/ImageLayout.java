package io.lazykoala.job.scoring;

import java.util.List;

/**
 * The image layout the job is configured with; a model is only used when its contract has the same.
 *
 * @param features         feature (column) names, in order
 * @param channelWindowsS  trailing window of each channel, seconds (R, G, B)
 * @param stepS            step length, seconds
 * @param lookbackOffsets  row offsets, in steps back from now
 * @param normalisation    normalisation kind ("padded-minmax")
 * @param padding          padding factor on the learned range (1.3)
 */
public record ImageLayout(List<String> features, List<Double> channelWindowsS, double stepS,
                          List<Integer> lookbackOffsets, String normalisation, double padding) {

    /** The DESIGN.md feature order. */
    public static final List<String> STANDARD_FEATURES = List.of(
            "requests_received_per_s", "requests_sent_per_s", "errors_per_s", "duration_mean_ms",
            "duration_p95_ms", "bytes_received_per_s", "bytes_sent_per_s", "retransmits_per_s", "rtt_ms",
            "accept_queue_length", "accept_queue_overflows_per_s", "cpu_cores", "memory_bytes");

    public ImageLayout {
        features = List.copyOf(features);
        channelWindowsS = List.copyOf(channelWindowsS);
        lookbackOffsets = List.copyOf(lookbackOffsets);
    }

    /** The DESIGN.md defaults: 13 features, windows 10/60/300 s, step 5 s, offsets 0..64, padded min-max 1.3. */
    public static ImageLayout standard() {
        return new ImageLayout(STANDARD_FEATURES, List.of(10.0, 60.0, 300.0), 5.0,
                List.of(0, 1, 2, 4, 8, 16, 32, 64), "padded-minmax", 1.3);
    }

    public int channels() {
        return channelWindowsS.size();
    }

    public int rows() {
        return lookbackOffsets.size();
    }

    public int featureCount() {
        return features.size();
    }

    /** Floats per image (C x R x F). */
    public int pixels() {
        return channels() * rows() * featureCount();
    }
}
