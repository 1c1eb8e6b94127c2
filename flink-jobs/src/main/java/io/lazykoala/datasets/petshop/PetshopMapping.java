package io.lazykoala.datasets.petshop;

import io.lazykoala.job.features.FeatureSet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one PetShop node's metrics of one period become the values of a {@code lazykoala.metrics} record, under the
 * contract's feature names where they mean the same thing (docs/EVALUATION.md, "PetShop"):
 * <ul>
 * <li>latency/Average (seconds) → duration_mean_ms (× 1000)</li>
 * <li>latency/p95 (seconds) → duration_p95_ms (× 1000)</li>
 * <li>requests/Sum (requests in the period) → requests_received_per_s (÷ period seconds)</li>
 * <li>availability/Average (percent of successful requests) with requests/Sum → errors_per_s
 *     = requests/s × (100 − availability) / 100 (only when both are reported)</li>
 * </ul>
 * latency p50, p90 and p99 have no feature of their own and are not carried.
 */
public final class PetshopMapping {
    public static final String DURATION_MEAN = FeatureSet.name(FeatureSet.DURATION_MEAN_MS);
    public static final String DURATION_P95 = FeatureSet.name(FeatureSet.DURATION_P95_MS);
    public static final String REQUESTS = FeatureSet.name(FeatureSet.REQUESTS_RECEIVED_PER_S);
    public static final String ERRORS = FeatureSet.name(FeatureSet.ERRORS_PER_S);

    private PetshopMapping() {}

    /**
     * @param columns "metric/statistic" → column index of one node
     * @param values  one row's values
     * @return the mapped values (empty when the node reported none of the mapped metrics this period)
     */
    public static Map<String, Double> values(Map<String, Integer> columns, double[] values, double periodS) {
        Map<String, Double> out = new LinkedHashMap<>();
        double mean = get(columns, values, "latency/Average");
        double p95 = get(columns, values, "latency/p95");
        double requests = get(columns, values, "requests/Sum");
        double availability = get(columns, values, "availability/Average");
        if (Double.isFinite(mean)) {
            out.put(DURATION_MEAN, mean * 1000);
        }
        if (Double.isFinite(p95)) {
            out.put(DURATION_P95, p95 * 1000);
        }
        if (Double.isFinite(requests)) {
            out.put(REQUESTS, requests / periodS);
            if (Double.isFinite(availability)) {
                out.put(ERRORS, requests / periodS * Math.max(0, 100 - availability) / 100);
            }
        }
        return out;
    }

    private static double get(Map<String, Integer> columns, double[] values, String name) {
        Integer i = columns.get(name);
        return i == null ? Double.NaN : values[i];
    }
}
