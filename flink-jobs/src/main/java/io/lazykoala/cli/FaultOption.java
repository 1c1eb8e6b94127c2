package io.lazykoala.cli;

import io.lazykoala.simulator.FaultSpec;
import io.lazykoala.simulator.ServiceSpec;
import io.lazykoala.simulator.SimulationSpec;
import io.lazykoala.telemetry.Workload;
import io.lazykoala.telemetry.labels.FaultType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Faults given on the command line: {@code TYPE:SERVICE@START+DURATION[*INTENSITY]}, e.g.
 * {@code cpu_hog:cart@10m+5m*0.8} (SERVICE is a name of the topology or namespace/name), and
 * {@code random:N} for N random faults, drawn from the seed, one after another without overlap.
 */
final class FaultOption {
    private static final Pattern FAULT = Pattern.compile("([a-z_]+):([^@]+)@([^+]+)\\+([^*]+)(?:\\*([0-9.]+))?");
    private static final Pattern RANDOM = Pattern.compile("random:(\\d+)");

    private FaultOption() {}

    static List<FaultSpec> parse(List<String> options, SimulationSpec spec, Duration runDuration, long seed) {
        List<FaultSpec> out = new ArrayList<>();
        for (String option : options) {
            String o = option.trim().toLowerCase(java.util.Locale.ROOT);
            Matcher r = RANDOM.matcher(o);
            if (r.matches()) {
                out.addAll(random(Integer.parseInt(r.group(1)), spec, runDuration.toMillis(), seed));
                continue;
            }
            Matcher m = FAULT.matcher(option.trim());
            if (!m.matches()) {
                throw new UserError("Fault '" + option + "' is not TYPE:SERVICE@START+DURATION[*INTENSITY] "
                        + "(e.g. cpu_hog:cart@10m+5m*0.8) or random:N.");
            }
            FaultType type = FaultType.fromId(m.group(1)).filter(SimulationSpec.INJECTABLE_TYPES::contains)
                    .orElseThrow(() -> new UserError("Unknown fault type '" + m.group(1) + "' (known: "
                            + String.join(", ", SimulationSpec.INJECTABLE_TYPES.stream().map(FaultType::id).toList()) + ")."));
            Workload target = service(m.group(2), spec);
            Duration start = duration(m.group(3), option);
            Duration length = duration(m.group(4), option);
            double intensity = m.group(5) == null ? 1.0 : Double.parseDouble(m.group(5));
            if (!(intensity > 0 && intensity <= 1)) {
                throw new UserError("Fault '" + option + "': the intensity must be in (0, 1].");
            }
            if (length.isZero()) {
                throw new UserError("Fault '" + option + "': the duration must be positive.");
            }
            if (start.compareTo(runDuration) >= 0) {
                throw new UserError("Fault '" + option + "' starts after the end of the " + DurationConverter.format(runDuration) + " run.");
            }
            out.add(new FaultSpec(type, target, start.toMillis(), length.toMillis(), intensity));
        }
        return out;
    }

    private static Workload service(String name, SimulationSpec spec) {
        for (ServiceSpec s : spec.services()) {
            if (s.name().equals(name) || s.key().equals(name)) {
                return s.workload().serviceOnly();
            }
        }
        throw new UserError("Service '" + name + "' is not in topology " + spec.name() + " (services: "
                + String.join(", ", spec.services().stream().map(ServiceSpec::name).limit(12).toList())
                + (spec.services().size() > 12 ? ", ..." : "") + ").");
    }

    private static Duration duration(String text, String option) {
        Duration d = DurationConverter.parse(text);
        if (d == null) {
            throw new UserError("Fault '" + option + "': '" + text + "' is not a duration (e.g. 30s, 5m, 1h).");
        }
        return d;
    }

    /** N faults in N equal slots of the middle 80% of the run, each 2-10 min (or shorter in a short run). */
    static List<FaultSpec> random(int n, SimulationSpec spec, long runMs, long seed) {
        List<FaultSpec> out = new ArrayList<>();
        if (n <= 0) {
            return out;
        }
        Random rnd = new Random(seed * 31 + 7);
        long from = runMs / 10;
        long slot = (runMs * 8 / 10) / n;
        for (int i = 0; i < n; i++) {
            long maxLength = Math.max(1000, Math.min(600_000, slot / 2));
            long length = Math.max(1000, Math.min(maxLength, 120_000 + (long) (rnd.nextDouble() * 480_000)));
            long start = from + i * slot + (long) (rnd.nextDouble() * Math.max(1, slot - length));
            FaultType type = SimulationSpec.INJECTABLE_TYPES.get(rnd.nextInt(SimulationSpec.INJECTABLE_TYPES.size()));
            ServiceSpec target = spec.services().get(rnd.nextInt(spec.services().size()));
            double intensity = Math.round((0.5 + rnd.nextDouble() * 0.5) * 100) / 100.0;
            out.add(new FaultSpec(type, target.workload().serviceOnly(), start, length, intensity));
        }
        return out;
    }
}
