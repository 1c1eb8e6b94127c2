package io.lazykoala.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-Inspector overrides of the job's thresholds; unset fields keep the job's defaults. Names in
 * {@link #asMap()} are the keys of {@code ConfigRecord.thresholds}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Thresholds {
    /** Calibrated health (0..1) below which a service counts as unhealthy. */
    @Min(0) @Max(1)
    private Double health;

    /** Raw anomaly score above which a service counts as anomalous. */
    @Min(0)
    private Double anomalyScore;

    /** Root-cause score (0..1) above which an incident is reported. */
    @Min(0) @Max(1)
    private Double rootCauseScore;

    public Double getHealth() { return health; }
    public void setHealth(Double health) { this.health = health; }
    public Double getAnomalyScore() { return anomalyScore; }
    public void setAnomalyScore(Double anomalyScore) { this.anomalyScore = anomalyScore; }
    public Double getRootCauseScore() { return rootCauseScore; }
    public void setRootCauseScore(Double rootCauseScore) { this.rootCauseScore = rootCauseScore; }

    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (health != null) m.put("health", health);
        if (anomalyScore != null) m.put("anomaly_score", anomalyScore);
        if (rootCauseScore != null) m.put("root_cause_score", rootCauseScore);
        return m;
    }
}
