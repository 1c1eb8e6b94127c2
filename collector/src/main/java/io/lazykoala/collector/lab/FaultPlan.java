package io.lazykoala.collector.lab;

import io.lazykoala.telemetry.labels.FaultType;

/**
 * One fault to inject: type, target service, start (seconds after the lab's start) and duration.
 * Text form {@code type:service:startS:durationS}, e.g. {@code cpu_hog:cart:120:60}.
 */
public record FaultPlan(FaultType type, String service, long startS, long durationS, double intensity) {
    public static FaultPlan parse(String text) throws LabException {
        String[] p = text.split(":");
        if (p.length != 4) {
            throw new LabException("Fault '" + text + "' must be type:service:startSeconds:durationSeconds, e.g. cpu_hog:cart:120:60.");
        }
        FaultType type = FaultType.fromId(p[0]).orElseThrow(() ->
                new LabException("Unknown fault type '" + p[0] + "'; known: " + FaultType.allIds() + "."));
        if (type == FaultType.OTHER) {
            throw new LabException("Fault type 'other' cannot be injected; use one of the others.");
        }
        try {
            long start = Long.parseLong(p[2]), duration = Long.parseLong(p[3]);
            if (start < 0 || duration <= 0) throw new NumberFormatException();
            return new FaultPlan(type, p[1], start, duration, 0.7);
        } catch (NumberFormatException e) {
            throw new LabException("Fault '" + text + "': start must be >= 0 and duration > 0 seconds.");
        }
    }
}
