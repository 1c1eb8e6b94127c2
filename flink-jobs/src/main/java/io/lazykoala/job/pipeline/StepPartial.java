package io.lazykoala.job.pipeline;

/**
 * A partial accumulator of one step, built before the keyBy shuffle: either one service's
 * ({@link #callee} null, {@link #acc} = {@code ServiceStepAccumulator} bytes) or one call-graph
 * edge's ({@link #service} = caller, {@link #callee} set, {@link #acc} = {@code EdgeStepAccumulator}
 * bytes). Accumulators travel as their own compact bytes so Flink's POJO serializer sees only a
 * String, a long and a byte[] (no Kryo on the shuffle).
 */
public class StepPartial {
    public String service;
    public String callee;
    public long stepEnd;
    public byte[] acc;

    public StepPartial() {}

    public StepPartial(String service, String callee, long stepEnd, byte[] acc) {
        this.service = service;
        this.callee = callee;
        this.stepEnd = stepEnd;
        this.acc = acc;
    }

    public boolean isEdge() {
        return callee != null;
    }

    @Override
    public String toString() {
        return (isEdge() ? service + " -> " + callee : service) + "@" + stepEnd;
    }
}
