package io.lazykoala.collector.output;

import com.sun.jna.Pointer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code rd_kafka_produceva}, the collector's one native call per record, through JNI when the jar
 * carries the small library for this machine ({@code collector/src/main/c/produce_jni.c}, built
 * with the collector where a C compiler is), else through JNA like the rest of {@link LibRdKafka}.
 * JNA's direct mapping dispatches every call through libffi with a JNI handle block and an
 * exception check; in a perf profile at 20 000 records/s that was ~8% of the ring-buffer reader's
 * time. A JNI method is a plain call with a thread-state transition.
 *
 * <p>The library does not link librdkafka: it calls the function at the address JNA resolved
 * ({@link #bind}), so both paths call the same librdkafka. {@code -Dlazykoala.kafka.jni=false}
 * turns the JNI path off.
 */
final class ProduceCall {
    static final String RESOURCE = "native/linux-" + System.getProperty("os.arch") + "/liblazykoala-produce.so";
    /** null when produce calls go through JNI, else why they go through JNA (one phrase) */
    private static final String JNA_BECAUSE = load();
    private static final boolean JNI = JNA_BECAUSE == null;

    private ProduceCall() {}

    /** Returns the {@code rd_kafka_error_t *}, 0 on success. */
    static long produceva(long rk, long vus, long cnt) {
        return JNI ? produceJni(rk, vus, cnt) : LibRdKafka.rd_kafka_produceva(rk, vus, cnt);
    }

    /** "JNI", or "JNA (why)". */
    static String path() {
        return JNI ? "JNI" : "JNA (" + JNA_BECAUSE + ")";
    }

    private static native void bind(long function);

    private static native long produceJni(long rk, long vus, long cnt);

    private static String load() {
        if ("false".equals(System.getProperty("lazykoala.kafka.jni"))) return "turned off by -Dlazykoala.kafka.jni=false";
        if (LibRdKafka.unavailableReason() != null) return "librdkafka is not loaded";
        try (InputStream in = ProduceCall.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return "this build has no JNI library for " + System.getProperty("os.arch");
            // a private copy, unlinked once loaded (JNA does the same with its own library)
            Path copy = Files.createTempFile("lazykoala-produce", ".so");
            try {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                System.load(copy.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(copy);
            }
            bind(Pointer.nativeValue(LibRdKafka.function("rd_kafka_produceva")));
            return null;
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
            return "the JNI library did not load: " + why.trim();
        }
    }
}
