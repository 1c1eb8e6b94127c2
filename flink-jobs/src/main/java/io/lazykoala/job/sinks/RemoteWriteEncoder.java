package io.lazykoala.job.sinks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote-write 1.0 payload: a protobuf {@code prometheus.WriteRequest}, snappy
 * block-compressed. The schema is four tiny messages, so it is hand-encoded here rather than pulling
 * a protobuf runtime and generated classes into the job:
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }   // timestamp in ms
 * </pre>
 * Prometheus requires each series' labels sorted by name ({@code __name__} first) and its samples in
 * time order; samples of the same series are grouped into one TimeSeries.
 */
public final class RemoteWriteEncoder {
    private RemoteWriteEncoder() {}

    /** The uncompressed protobuf. */
    public static byte[] encode(Collection<MetricSample> samples) {
        Map<String, SeriesBuffer> series = new LinkedHashMap<>();
        for (MetricSample s : samples) {
            String[] sorted = sortedLabels(s);
            series.computeIfAbsent(String.join("\u0000", sorted), k -> new SeriesBuffer(sorted)).samples.add(s);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * samples.size() + 16);
        for (SeriesBuffer sb : series.values()) {
            sb.samples.sort((a, b) -> Long.compare(a.timestampMs, b.timestampMs));
            byte[] ts = timeSeries(sb);
            writeTag(out, 1, 2);
            writeVarint(out, ts.length);
            out.write(ts, 0, ts.length);
        }
        return out.toByteArray();
    }

    /** What goes on the wire: the protobuf, snappy block format (not the framed format). */
    public static byte[] encodeCompressed(Collection<MetricSample> samples) throws IOException {
        return Snappy.compress(encode(samples));
    }

    private static final class SeriesBuffer {
        final String[] labels;
        final List<MetricSample> samples = new java.util.ArrayList<>();

        SeriesBuffer(String[] labels) {
            this.labels = labels;
        }
    }

    /** name/value pairs with __name__ added, sorted by label name. */
    static String[] sortedLabels(MetricSample s) {
        int n = s.labels.length / 2 + 1;
        String[][] pairs = new String[n][];
        pairs[0] = new String[] {"__name__", s.name};
        for (int i = 1; i < n; i++) {
            pairs[i] = new String[] {s.labels[2 * (i - 1)], s.labels[2 * (i - 1) + 1]};
        }
        Arrays.sort(pairs, (a, b) -> a[0].compareTo(b[0]));
        String[] flat = new String[2 * n];
        for (int i = 0; i < n; i++) {
            flat[2 * i] = pairs[i][0];
            flat[2 * i + 1] = pairs[i][1];
        }
        return flat;
    }

    private static byte[] timeSeries(SeriesBuffer sb) {
        ByteArrayOutputStream ts = new ByteArrayOutputStream();
        for (int i = 0; i < sb.labels.length; i += 2) {
            if (sb.labels[i + 1] == null || sb.labels[i + 1].isEmpty()) {
                continue; // Prometheus treats an empty label as absent; sending it is an error in some versions
            }
            byte[] label = label(sb.labels[i], sb.labels[i + 1]);
            writeTag(ts, 1, 2);
            writeVarint(ts, label.length);
            ts.write(label, 0, label.length);
        }
        for (MetricSample s : sb.samples) {
            ByteArrayOutputStream sample = new ByteArrayOutputStream(20);
            writeTag(sample, 1, 1);
            writeFixed64(sample, Double.doubleToRawLongBits(s.value));
            writeTag(sample, 2, 0);
            writeVarint(sample, s.timestampMs);
            writeTag(ts, 2, 2);
            writeVarint(ts, sample.size());
            ts.write(sample.toByteArray(), 0, sample.size());
        }
        return ts.toByteArray();
    }

    private static byte[] label(String name, String value) {
        ByteArrayOutputStream l = new ByteArrayOutputStream();
        writeString(l, 1, name);
        writeString(l, 2, value);
        return l.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, int field, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeTag(out, field, 2);
        writeVarint(out, b.length);
        out.write(b, 0, b.length);
    }

    private static void writeTag(ByteArrayOutputStream out, int field, int wireType) {
        writeVarint(out, ((long) field << 3) | wireType);
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void writeFixed64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }
}
