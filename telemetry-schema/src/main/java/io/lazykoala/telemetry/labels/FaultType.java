package io.lazykoala.telemetry.labels;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The kind of an incident in the ground truth. The simulator's faults plus {@link #OTHER} for
 * incidents of external datasets that fit none of them. Files use the lower-case {@link #id()}.
 */
public enum FaultType {
    CPU_HOG,
    MEMORY_LEAK,
    LATENCY,
    PACKET_LOSS,
    CONNECTION_REFUSED,
    CONNECTION_RESET,
    ACCEPT_QUEUE_SATURATION,
    CRASH_RESTART,
    /** An incident of an external dataset that none of the other types describes. */
    OTHER;

    /** The file spelling: "cpu_hog", "memory_leak", ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type with this id (case-insensitive, surrounding blanks ignored), if any. */
    public static Optional<FaultType> fromId(String id) {
        if (id == null) return Optional.empty();
        String t = id.trim();
        for (FaultType f : values()) {
            if (f.id().equalsIgnoreCase(t)) return Optional.of(f);
        }
        return Optional.empty();
    }

    /** "cpu_hog, memory_leak, ..." for error messages. */
    public static String allIds() {
        return Arrays.stream(values()).map(FaultType::id).collect(Collectors.joining(", "));
    }
}
