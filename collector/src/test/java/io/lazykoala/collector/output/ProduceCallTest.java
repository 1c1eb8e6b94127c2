package io.lazykoala.collector.output;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.lazykoala.collector.output.LibRdKafka.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JNI produce call against JNA's, on a real librdkafka producer without brokers (messages are
 * only queued): the same messages accepted, the same errors.
 */
class ProduceCallTest {
    private long rk;
    private long rkt;

    @BeforeEach
    void producer() {
        assertThat(unavailableReason()).as("librdkafka1 is installed here (bin/install-deps)").isNull();
        long conf = rd_kafka_conf_new();
        byte[] err = new byte[256];
        // no bootstrap servers: messages only queue, and no connection error lands in the main queue
        // (rd_kafka_outq_len counts those too)
        assertThat(rd_kafka_conf_set(conf, "log_level", "0", err, err.length)).isEqualTo(RD_KAFKA_CONF_OK);
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, err.length);
        assertThat(rk).as(Native.toString(err)).isNotZero();
        rkt = rd_kafka_topic_new(rk, "produce-call-test", 0);
    }

    @AfterEach
    void close() {
        if (rk == 0) return;
        rd_kafka_purge(rk, PURGE_ALL);
        rd_kafka_topic_destroy(rkt);
        rd_kafka_destroy(rk);
    }

    @Test
    void theJarCarriesTheJniLibraryForThisMachine() {
        // the build compiles it wherever a C compiler is (bin/install-deps installs clang-14)
        assertThat(ProduceCall.class.getResource(ProduceCall.RESOURCE)).as(ProduceCall.RESOURCE).isNotNull();
        assertThat(ProduceCall.path()).isEqualTo("JNI");
    }

    @Test
    void jniAndJnaQueueTheSameMessagesAndRefuseTheSameArguments() {
        byte[] value = "a value".getBytes();
        Memory vus = new Memory(3L * VU_SIZE);
        Memory payload = new Memory(value.length);
        payload.write(0, value, 0, value.length);
        vus.clear();
        vus.setInt(0, VTYPE_RKT);
        vus.setLong(VU_VALUE_OFFSET, rkt);
        vus.setInt(VU_SIZE, VTYPE_VALUE);
        vus.setLong(VU_SIZE + VU_VALUE_OFFSET, Pointer.nativeValue(payload));
        vus.setLong(VU_SIZE + VU_VALUE_OFFSET + 8, value.length);
        vus.setInt(2L * VU_SIZE, VTYPE_MSGFLAGS);
        vus.setInt(2L * VU_SIZE + VU_VALUE_OFFSET, MSG_F_COPY);
        long address = Pointer.nativeValue(vus);

        assertThat(ProduceCall.produceva(rk, address, 3)).isZero();
        assertThat(LibRdKafka.rd_kafka_produceva(rk, address, 3)).isZero();
        assertThat(rd_kafka_outq_len(rk)).isEqualTo(2);

        vus.setInt(VU_SIZE, 99); // no such rd_kafka_vtype_t
        long viaCall = ProduceCall.produceva(rk, address, 3);
        long viaJna = LibRdKafka.rd_kafka_produceva(rk, address, 3);
        try {
            assertThat(viaCall).isNotZero();
            assertThat(viaJna).isNotZero();
            assertThat(rd_kafka_error_code(viaCall)).isEqualTo(rd_kafka_error_code(viaJna)).isNotZero();
        } finally {
            if (viaCall != 0) rd_kafka_error_destroy(viaCall);
            if (viaJna != 0) rd_kafka_error_destroy(viaJna);
        }
        assertThat(rd_kafka_outq_len(rk)).isEqualTo(2);
    }
}
