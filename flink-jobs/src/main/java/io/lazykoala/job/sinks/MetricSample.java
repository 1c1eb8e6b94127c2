package io.lazykoala.job.sinks;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One Prometheus sample: metric name, label pairs, value and its EVENT timestamp (epoch ms), so a
 * replay lands at the time it was recorded. Labels are name/value pairs in the order the metric
 * declares them (see {@link PrometheusSeries}); never pod IPs.
 */
public final class MetricSample implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String name;
    /** name0, value0, name1, value1, ... */
    public final String[] labels;
    public final double value;
    public final long timestampMs;

    public MetricSample(String name, String[] labels, double value, long timestampMs) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs");
        }
        this.name = name;
        this.labels = labels;
        this.value = value;
        this.timestampMs = timestampMs;
    }

    public String label(String labelName) {
        for (int i = 0; i < labels.length; i += 2) {
            if (labels[i].equals(labelName)) {
                return labels[i + 1];
            }
        }
        return null;
    }

    /** The label values in declaration order. */
    public String[] labelValues() {
        String[] v = new String[labels.length / 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = labels[2 * i + 1];
        }
        return v;
    }

    /** The label names in declaration order. */
    public String[] labelNames() {
        String[] v = new String[labels.length / 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = labels[2 * i];
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricSample s && name.equals(s.name) && Arrays.equals(labels, s.labels)
                && Double.compare(value, s.value) == 0 && timestampMs == s.timestampMs;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(labels)) + Long.hashCode(timestampMs);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            b.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
        }
        return b.append("} ").append(value).append(' ').append(timestampMs).toString();
    }
}
