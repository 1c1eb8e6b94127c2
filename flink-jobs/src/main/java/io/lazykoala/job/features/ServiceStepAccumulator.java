package io.lazykoala.job.features;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.ListenRecord;
import io.lazykoala.telemetry.MetricRecord;
import io.lazykoala.telemetry.Outcome;
import io.lazykoala.telemetry.ResourceRecord;
import io.lazykoala.telemetry.TcpRecord;
import io.lazykoala.telemetry.TelemetryRecord;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one service did in one step, accumulated from its records, before it becomes a {@link FeatureVector}.
 * Mergeable (associative and commutative), so partial accumulators built before the keyBy shuffle combine into
 * exactly the accumulator of all records.
 *
 * <p>Attribution: a TCP record counts for the workload it was observed at ({@link TcpRecord#observed()}); its
 * direction decides received (IN: this service accepted the connection) versus sent (OUT: it initiated it). A
 * finished connection is one request; an OPEN interval record counts its bursts (receive bursts at the server,
 * send bursts at the client) because one long-lived connection carries many requests.
 */
public final class ServiceStepAccumulator implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte FORMAT = 1;

    private long requestsIn;
    private long requestsOut;
    private long errors;
    private long durationInCount;
    private double durationInSumUs;
    private long durationOutCount;
    private double durationOutSumUs;
    private DurationSketch durationIn = new DurationSketch();
    private DurationSketch durationOut = new DurationSketch();
    private long bytesIn;
    private long bytesOut;
    private long retransmits;
    private long rttCount;
    private double rttSumUs;
    private int acceptQueueMax;
    private long listenSamples;
    private long acceptOverflows;
    /** pod → {cpu sum, cpu samples, memory max}: a service's CPU is the sum of its pods' means. */
    private TreeMap<String, double[]> pods = new TreeMap<>();
    private double[] metricSum;     // lazily allocated: most services have no metric records
    private double[] metricMax;
    private long[] metricCount;
    private long unknownMetricValues;
    private long records;

    /** Adds any record type that carries per-service features; other types are ignored. */
    public void add(TelemetryRecord record) {
        if (record instanceof TcpRecord t) {
            addTcp(t);
        } else if (record instanceof ListenRecord l) {
            addListen(l);
        } else if (record instanceof ResourceRecord r) {
            addResource(r);
        } else if (record instanceof MetricRecord m) {
            addMetric(m);
        }
    }

    public void addTcp(TcpRecord t) {
        records++;
        boolean in = t.direction() == Direction.IN;
        boolean open = t.outcome() == Outcome.OPEN;
        long requests = open ? Math.max(0, in ? t.recvBursts() : t.sendBursts()) : 1;
        if (in) {
            requestsIn += requests;
        } else {
            requestsOut += requests;
        }
        if (isError(t.outcome())) {
            errors++;
        }
        // An OPEN record's duration is the interval length, not a request's time: it says nothing about latency.
        // Nor does the closing record of a long-lived connection: its duration, bytes and retransmits are lifetime
        // totals whose activity the interval records have already reported.
        boolean lifetimeEnd = endsLongLivedConnection(t);
        if (!open && !lifetimeEnd) {
            double us = Math.max(0, t.durationUs());
            if (in) {
                durationInCount++;
                durationInSumUs += us;
                durationIn.add(us);
            } else {
                durationOutCount++;
                durationOutSumUs += us;
                durationOut.add(us);
            }
        }
        if (!lifetimeEnd) {
            bytesIn += Math.max(0, t.bytesReceived());
            bytesOut += Math.max(0, t.bytesSent());
            retransmits += Math.max(0, t.retransmits());
        }
        if (t.srttUs() > 0) {
            rttCount++;
            rttSumUs += t.srttUs();
        }
    }

    /**
     * A finished connection that lived longer than this was a long-lived one: the collector (and the simulator)
     * reported its activity in interval records every 5 s while it was open, and its closing record carries
     * lifetime totals. Twice the default interval, so that a single slow request on a short connection still
     * counts as one; a connection with traffic past the interval mark has had an interval record.
     */
    public static final long LONG_LIVED_END_US = 10_000_000L;

    /**
     * Whether this record closes a long-lived connection. Its lifetime (minutes for a pooled connection recycled
     * by a reset) is not a request's duration: counted as one, a single recycle moved a service's mean duration
     * from 5 ms to seconds and kept its long window anomalous for minutes (the "ratings episodes" of the
     * random50 evaluation runs, EVALUATION.md), and its byte totals counted the lifetime's traffic a second time.
     * Its outcome still counts (a reset is an error) and so does its RTT (a current value, not a total).
     */
    public static boolean endsLongLivedConnection(TcpRecord t) {
        return t.outcome() != Outcome.OPEN && t.durationUs() > LONG_LIVED_END_US;
    }

    public static boolean isError(Outcome o) {
        return o == Outcome.REFUSED || o == Outcome.RESET || o == Outcome.TIMEOUT;
    }

    public void addListen(ListenRecord l) {
        records++;
        listenSamples++;
        acceptQueueMax = Math.max(acceptQueueMax, Math.max(0, l.queueLength()));
        acceptOverflows += Math.max(0, l.overflows());
    }

    public void addResource(ResourceRecord r) {
        records++;
        double[] p = pods.computeIfAbsent(r.workload().pod(), k -> new double[3]);
        p[0] += Math.max(0, r.cpuCores());
        p[1] += 1;
        p[2] = Math.max(p[2], Math.max(0, r.memoryBytes()));
    }

    public void addMetric(MetricRecord m) {
        records++;
        for (Map.Entry<String, Double> e : m.values().entrySet()) {
            int f = FeatureSet.indexOf(e.getKey());
            Double v = e.getValue();
            if (f < 0 || v == null || !Double.isFinite(v)) {
                unknownMetricValues++;
                continue;
            }
            if (metricSum == null) {
                metricSum = new double[FeatureSet.COUNT];
                metricMax = new double[FeatureSet.COUNT];
                metricCount = new long[FeatureSet.COUNT];
                java.util.Arrays.fill(metricMax, Double.NEGATIVE_INFINITY);
            }
            metricSum[f] += v;
            metricMax[f] = Math.max(metricMax[f], v);
            metricCount[f]++;
        }
    }

    /** Folds {@code other} into this one. {@code other} is left unchanged. */
    public ServiceStepAccumulator merge(ServiceStepAccumulator other) {
        requestsIn += other.requestsIn;
        requestsOut += other.requestsOut;
        errors += other.errors;
        durationInCount += other.durationInCount;
        durationInSumUs += other.durationInSumUs;
        durationOutCount += other.durationOutCount;
        durationOutSumUs += other.durationOutSumUs;
        durationIn.merge(other.durationIn);
        durationOut.merge(other.durationOut);
        bytesIn += other.bytesIn;
        bytesOut += other.bytesOut;
        retransmits += other.retransmits;
        rttCount += other.rttCount;
        rttSumUs += other.rttSumUs;
        acceptQueueMax = Math.max(acceptQueueMax, other.acceptQueueMax);
        listenSamples += other.listenSamples;
        acceptOverflows += other.acceptOverflows;
        for (Map.Entry<String, double[]> e : other.pods.entrySet()) {
            double[] p = pods.computeIfAbsent(e.getKey(), k -> new double[3]);
            double[] o = e.getValue();
            p[0] += o[0];
            p[1] += o[1];
            p[2] = Math.max(p[2], o[2]);
        }
        if (other.metricSum != null) {
            if (metricSum == null) {
                metricSum = new double[FeatureSet.COUNT];
                metricMax = new double[FeatureSet.COUNT];
                metricCount = new long[FeatureSet.COUNT];
                java.util.Arrays.fill(metricMax, Double.NEGATIVE_INFINITY);
            }
            for (int f = 0; f < FeatureSet.COUNT; f++) {
                metricSum[f] += other.metricSum[f];
                metricMax[f] = Math.max(metricMax[f], other.metricMax[f]);
                metricCount[f] += other.metricCount[f];
            }
        }
        unknownMetricValues += other.unknownMetricValues;
        records += other.records;
        return this;
    }

    /** Records added (directly or through merges). */
    public long records() {
        return records;
    }

    /** Metric values whose name is not a feature (or not finite): ignored, counted for the job's own metrics. */
    public long unknownMetricValues() {
        return unknownMetricValues;
    }

    /**
     * The step's 13 features in contract order and units. Levels not observed in this step (duration and its p95
     * without a finished connection, RTT, accept-queue length, CPU, memory) are {@link Double#NaN}: the feature
     * history carries the previous value forward, because a missing sample is not a drop to zero.
     *
     * @param stepSeconds the step length, to turn counts into per-second rates
     */
    public double[] toFeatures(double stepSeconds) {
        double[] v = new double[FeatureSet.COUNT];
        v[FeatureSet.REQUESTS_RECEIVED_PER_S] = requestsIn / stepSeconds;
        v[FeatureSet.REQUESTS_SENT_PER_S] = requestsOut / stepSeconds;
        v[FeatureSet.ERRORS_PER_S] = errors / stepSeconds;
        // Server side preferred: it is the service's own processing time; the client side includes the network and
        // the callee, and is used only by services that serve nothing in this step.
        boolean useIn = durationInCount > 0;
        long n = useIn ? durationInCount : durationOutCount;
        double sum = useIn ? durationInSumUs : durationOutSumUs;
        // Levels that were not observed this step (no finished connection, no RTT sample, no accept-queue or
        // resource sample) are NaN, not 0: "unknown" is carried forward by the history, while 0 would be a drop.
        v[FeatureSet.DURATION_MEAN_MS] = n == 0 ? Double.NaN : sum / n / 1000.0;
        v[FeatureSet.DURATION_P95_MS] = n == 0 ? Double.NaN : (useIn ? durationIn : durationOut).quantile(0.95) / 1000.0;
        v[FeatureSet.BYTES_RECEIVED_PER_S] = bytesIn / stepSeconds;
        v[FeatureSet.BYTES_SENT_PER_S] = bytesOut / stepSeconds;
        v[FeatureSet.RETRANSMITS_PER_S] = retransmits / stepSeconds;
        v[FeatureSet.RTT_MS] = rttCount == 0 ? Double.NaN : rttSumUs / rttCount / 1000.0;
        v[FeatureSet.ACCEPT_QUEUE_LENGTH] = listenSamples == 0 ? Double.NaN : acceptQueueMax;
        v[FeatureSet.ACCEPT_QUEUE_OVERFLOWS_PER_S] = acceptOverflows / stepSeconds;
        double cpu = 0;
        double mem = 0;
        for (double[] p : pods.values()) {
            cpu += p[1] == 0 ? 0 : p[0] / p[1];
            mem += p[2];
        }
        v[FeatureSet.CPU_CORES] = pods.isEmpty() ? Double.NaN : cpu;
        v[FeatureSet.MEMORY_BYTES] = pods.isEmpty() ? Double.NaN : mem;
        // An explicit metric source (a dataset, another exporter) names what it measures: it wins over our estimate.
        if (metricSum != null) {
            for (int f = 0; f < FeatureSet.COUNT; f++) {
                if (metricCount[f] > 0) {
                    v[f] = FeatureSet.aggregatesByMax(f) ? metricMax[f] : metricSum[f] / metricCount[f];
                }
            }
        }
        return v;
    }

    public byte[] toBytes() {
        try {
            // Flink's unsynchronised array view: same format as a DataOutputStream, several times faster
            org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(128);
            writeTo(out);
            return out.getCopyOfBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ServiceStepAccumulator fromBytes(byte[] bytes) {
        try {
            return readFrom(new org.apache.flink.core.memory.DataInputDeserializer(bytes));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a service step accumulator: " + e.getMessage(), e);
        }
    }

    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT);
        Varints.writeUnsigned(out, records);
        Varints.writeUnsigned(out, requestsIn);
        Varints.writeUnsigned(out, requestsOut);
        Varints.writeUnsigned(out, errors);
        Varints.writeUnsigned(out, durationInCount);
        out.writeDouble(durationInSumUs);
        Varints.writeUnsigned(out, durationOutCount);
        out.writeDouble(durationOutSumUs);
        durationIn.writeTo(out);
        durationOut.writeTo(out);
        Varints.writeUnsigned(out, bytesIn);
        Varints.writeUnsigned(out, bytesOut);
        Varints.writeUnsigned(out, retransmits);
        Varints.writeUnsigned(out, rttCount);
        out.writeDouble(rttSumUs);
        Varints.writeUnsigned(out, acceptQueueMax);
        Varints.writeUnsigned(out, listenSamples);
        Varints.writeUnsigned(out, acceptOverflows);
        Varints.writeUnsigned(out, pods.size());
        for (Map.Entry<String, double[]> e : pods.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue()[0]);
            out.writeDouble(e.getValue()[1]);
            out.writeDouble(e.getValue()[2]);
        }
        out.writeBoolean(metricSum != null);
        if (metricSum != null) {
            for (int f = 0; f < FeatureSet.COUNT; f++) {
                Varints.writeUnsigned(out, metricCount[f]);
                if (metricCount[f] > 0) {
                    out.writeDouble(metricSum[f]);
                    out.writeDouble(metricMax[f]);
                }
            }
        }
        Varints.writeUnsigned(out, unknownMetricValues);
    }

    public static ServiceStepAccumulator readFrom(DataInput in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("unknown accumulator format " + format);
        }
        ServiceStepAccumulator a = new ServiceStepAccumulator();
        a.records = Varints.readUnsigned(in);
        a.requestsIn = Varints.readUnsigned(in);
        a.requestsOut = Varints.readUnsigned(in);
        a.errors = Varints.readUnsigned(in);
        a.durationInCount = Varints.readUnsigned(in);
        a.durationInSumUs = in.readDouble();
        a.durationOutCount = Varints.readUnsigned(in);
        a.durationOutSumUs = in.readDouble();
        a.durationIn = DurationSketch.readFrom(in);
        a.durationOut = DurationSketch.readFrom(in);
        a.bytesIn = Varints.readUnsigned(in);
        a.bytesOut = Varints.readUnsigned(in);
        a.retransmits = Varints.readUnsigned(in);
        a.rttCount = Varints.readUnsigned(in);
        a.rttSumUs = in.readDouble();
        a.acceptQueueMax = (int) Varints.readUnsigned(in);
        a.listenSamples = Varints.readUnsigned(in);
        a.acceptOverflows = Varints.readUnsigned(in);
        int pods = (int) Varints.readUnsigned(in);
        for (int i = 0; i < pods; i++) {
            String pod = in.readUTF();
            a.pods.put(pod, new double[] {in.readDouble(), in.readDouble(), in.readDouble()});
        }
        if (in.readBoolean()) {
            a.metricSum = new double[FeatureSet.COUNT];
            a.metricMax = new double[FeatureSet.COUNT];
            a.metricCount = new long[FeatureSet.COUNT];
            java.util.Arrays.fill(a.metricMax, Double.NEGATIVE_INFINITY);
            for (int f = 0; f < FeatureSet.COUNT; f++) {
                a.metricCount[f] = Varints.readUnsigned(in);
                if (a.metricCount[f] > 0) {
                    a.metricSum[f] = in.readDouble();
                    a.metricMax[f] = in.readDouble();
                }
            }
        }
        a.unknownMetricValues = Varints.readUnsigned(in);
        return a;
    }
}
