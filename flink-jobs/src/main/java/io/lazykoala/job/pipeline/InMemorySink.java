package io.lazykoala.job.pipeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Collects a stream's elements in this JVM under a name: for jobs run on a local MiniCluster by the
 * CLI (`evaluate`, `demo`, `bench`) and the tests. Not for a real cluster (each task manager would
 * collect its own share).
 */
public final class InMemorySink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, ConcurrentLinkedQueue<Object>> RESULTS = new ConcurrentHashMap<>();

    private final String name;

    public InMemorySink(String name) {
        this.name = name;
        RESULTS.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
    }

    @SuppressWarnings("unchecked")
    public static <T> List<T> results(String name) {
        ConcurrentLinkedQueue<Object> q = RESULTS.get(name);
        return q == null ? List.of() : (List<T>) List.copyOf(q);
    }

    public static void clear(String name) {
        RESULTS.remove(name);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        ConcurrentLinkedQueue<Object> q = RESULTS.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                q.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
