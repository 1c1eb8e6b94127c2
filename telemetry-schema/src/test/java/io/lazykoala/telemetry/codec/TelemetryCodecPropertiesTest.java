package io.lazykoala.telemetry.codec;

import io.lazykoala.telemetry.RecordArbitraries;
import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The codec's promises over generated records and generated damage: exact round trips, and typed failures, never exceptions. */
class TelemetryCodecPropertiesTest {

    @Provide
    Arbitrary<TelemetryRecord> records() {
        return RecordArbitraries.any();
    }

    @Property(tries = 1000)
    void everyRecordRoundTripsExactly(@ForAll("records") TelemetryRecord record) {
        byte[] bytes = TelemetryCodec.encode(record);
        assertThat(bytes[0]).isEqualTo(TelemetryCodec.FORMAT_VERSION);
        assertThat(RecordTypeIds.topicOf(bytes[1])).isEqualTo(record.topic());
        assertThat(TelemetryCodec.decode(bytes)).isEqualTo(new DecodeResult.Ok(record));
        assertThat(TelemetryCodec.decode(bytes, record.topic())).isEqualTo(new DecodeResult.Ok(record));
        // Deterministic: the same record always gives the same bytes.
        assertThat(TelemetryCodec.encode(record)).isEqualTo(bytes);
    }

    @Property(tries = 1000)
    void aRecordInsideALargerBufferDecodesFromItsRange(@ForAll("records") TelemetryRecord record,
                                                       @ForAll @IntRange(max = 7) int before, @ForAll @IntRange(max = 7) int after) {
        byte[] bytes = TelemetryCodec.encode(record);
        byte[] buffer = new byte[before + bytes.length + after];
        Arrays.fill(buffer, (byte) 0x5A);
        System.arraycopy(bytes, 0, buffer, before, bytes.length);
        assertThat(TelemetryCodec.decode(buffer, before, bytes.length, null)).isEqualTo(new DecodeResult.Ok(record));
    }

    @Property(tries = 1000)
    void everyStrictPrefixIsTruncated(@ForAll("records") TelemetryRecord record, @ForAll @IntRange(max = 10_000) int cutSeed) {
        byte[] bytes = TelemetryCodec.encode(record);
        int cut = cutSeed % bytes.length; // 0 .. length-1
        DecodeResult result = TelemetryCodec.decode(Arrays.copyOf(bytes, cut));
        assertThat(result).isInstanceOf(DecodeResult.Failed.class);
        assertThat(((DecodeResult.Failed) result).kind()).isEqualTo(cut == 0 ? DecodeError.EMPTY : DecodeError.TRUNCATED);
        assertOneSentence((DecodeResult.Failed) result);
    }

    @Property(tries = 3000)
    void garbageNeverThrows(@ForAll @Size(max = 300) byte[] garbage) {
        checkNeverThrowsAndOkIsCoherent(garbage);
    }

    /** Garbage behind a valid header, so it gets past the first two bytes into the field decoders. */
    @Property(tries = 3000)
    void garbageBehindAValidHeaderNeverThrows(@ForAll @IntRange(min = 1, max = 8) int type, @ForAll @Size(max = 300) byte[] body) {
        byte[] bytes = new byte[body.length + 2];
        bytes[0] = TelemetryCodec.FORMAT_VERSION;
        bytes[1] = (byte) type;
        System.arraycopy(body, 0, bytes, 2, body.length);
        checkNeverThrowsAndOkIsCoherent(bytes);
    }

    @Property(tries = 3000)
    void flippedBitsGiveATypedFailureOrAValidRecord(@ForAll("records") TelemetryRecord record,
                                                     @ForAll @IntRange(min = 1, max = 4) int flips,
                                                     @ForAll long seed) {
        byte[] bytes = TelemetryCodec.encode(record);
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt(bytes.length);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
        checkNeverThrowsAndOkIsCoherent(bytes);
    }

    @Property(tries = 500)
    void anUnknownVersionIsReportedAsSuch(@ForAll("records") TelemetryRecord record, @ForAll byte version) {
        if (version == TelemetryCodec.FORMAT_VERSION) return;
        byte[] bytes = TelemetryCodec.encode(record);
        bytes[0] = version;
        DecodeResult result = TelemetryCodec.decode(bytes);
        assertThat(((DecodeResult.Failed) result).kind()).isEqualTo(DecodeError.UNKNOWN_VERSION);
        assertThat(((DecodeResult.Failed) result).message()).contains(Integer.toString(version & 0xFF));
    }

    @Property(tries = 500)
    void anUnknownTypeIsReportedAsSuch(@ForAll("records") TelemetryRecord record, @ForAll byte type) {
        if (RecordTypeIds.topicOf(type & 0xFF) != null) return;
        byte[] bytes = TelemetryCodec.encode(record);
        bytes[1] = type;
        DecodeResult result = TelemetryCodec.decode(bytes);
        assertThat(((DecodeResult.Failed) result).kind()).isEqualTo(DecodeError.UNKNOWN_TYPE);
    }

    @Property(tries = 500)
    void aRecordReadFromAnotherTopicIsWrongTopic(@ForAll("records") TelemetryRecord record, @ForAll("topics") String topic) {
        if (topic.equals(record.topic())) return;
        DecodeResult result = TelemetryCodec.decode(TelemetryCodec.encode(record), topic);
        assertThat(((DecodeResult.Failed) result).kind()).isEqualTo(DecodeError.WRONG_TOPIC);
        assertOneSentence((DecodeResult.Failed) result);
    }

    @Provide
    Arbitrary<String> topics() {
        return Arbitraries.oneOf(Arbitraries.of(Topics.ALL.toArray(new String[0])), Arbitraries.strings().ofMaxLength(20));
    }

    private static final EnumSet<DecodeError> STRUCTURAL = EnumSet.complementOf(EnumSet.of(DecodeError.WRONG_TOPIC, DecodeError.INVALID_VALUE));

    private static void checkNeverThrowsAndOkIsCoherent(byte[] bytes) {
        DecodeResult result = TelemetryCodec.decode(bytes);
        if (result instanceof DecodeResult.Ok ok) {
            // Whatever decoded must be a representable record that decodes to itself again.
            byte[] again = TelemetryCodec.encode(ok.record());
            assertThat(TelemetryCodec.decode(again)).isEqualTo(result);
        } else {
            DecodeResult.Failed failed = (DecodeResult.Failed) result;
            assertThat(failed.kind()).isIn(STRUCTURAL);
            assertOneSentence(failed);
        }
    }

    static void assertOneSentence(DecodeResult.Failed failed) {
        assertThat(failed.message()).isNotBlank().endsWith(".").doesNotContain("\n").doesNotContain("internal error");
    }
}
