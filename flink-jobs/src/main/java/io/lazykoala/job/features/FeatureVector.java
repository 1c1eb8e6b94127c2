package io.lazykoala.job.features;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One service's 13 features ({@link FeatureSet} order and units) for the step ending at {@code stepEnd}.
 *
 * @param service "namespace/service"
 * @param stepEnd window end, epoch ms
 * @param values  13 values; the array is owned by this vector, do not modify it
 */
public record FeatureVector(String service, long stepEnd, double[] values) implements Serializable {
    public FeatureVector {
        if (values.length != FeatureSet.COUNT) {
            throw new IllegalArgumentException("a feature vector has " + FeatureSet.COUNT + " values, got " + values.length);
        }
    }

    public double get(int feature) {
        return values[feature];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureVector v && v.service.equals(service) && v.stepEnd == stepEnd
                && Arrays.equals(v.values, values);
    }

    @Override
    public int hashCode() {
        return service.hashCode() * 31 + Long.hashCode(stepEnd);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(service).append('@').append(stepEnd).append('{');
        for (int f = 0; f < FeatureSet.COUNT; f++) {
            sb.append(f == 0 ? "" : ", ").append(FeatureSet.name(f)).append('=').append(values[f]);
        }
        return sb.append('}').toString();
    }
}
