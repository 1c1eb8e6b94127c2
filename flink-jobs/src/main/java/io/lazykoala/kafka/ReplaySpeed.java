package io.lazykoala.kafka;

import java.util.Locale;

/**
 * How fast a replay goes relative to the recorded timestamps: 1 = as recorded, N = N times faster,
 * {@link #MAX} = as fast as the broker takes it.
 */
public record ReplaySpeed(double factor) {
    public static final ReplaySpeed MAX = new ReplaySpeed(Double.POSITIVE_INFINITY);
    public static final ReplaySpeed REAL_TIME = new ReplaySpeed(1);

    public ReplaySpeed {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("speed must be positive");
        }
    }

    public boolean isMax() {
        return Double.isInfinite(factor);
    }

    /** Parses "1", "10", "2.5", "10x" or "max"; null when it is none of these. */
    public static ReplaySpeed parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("max")) {
            return MAX;
        }
        if (s.endsWith("x")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            double f = Double.parseDouble(s);
            return f > 0 && !Double.isNaN(f) && !Double.isInfinite(f) ? new ReplaySpeed(f) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return isMax() ? "max" : (factor == Math.rint(factor) ? String.valueOf((long) factor) : String.valueOf(factor)) + "x";
    }
}
