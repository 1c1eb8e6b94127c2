package io.lazykoala.kafka;

import io.lazykoala.telemetry.recording.RecordedHeader;
import io.lazykoala.telemetry.recording.RecordedRecord;
import io.lazykoala.telemetry.recording.RecordingReader;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.ToIntFunction;

/**
 * Writes a recording back into Kafka in file order, paced by {@link ReplayPacer}. A record goes to the
 * partition it was recorded from when the topic has that partition (so record -> replay -> record is
 * identical), otherwise the producer's key partitioner chooses.
 *
 * <p>A shift moves the Kafka timestamp and the event time inside the payload (decoded with the shared
 * codec, shifted, encoded again): the job takes event time from the payload. A payload that does not
 * decode is replayed as it is (only its Kafka timestamp moves) and counted in {@link #unshifted()}.
 * Without a shift the bytes are passed through untouched, so record -> replay -> record is identical.
 */
public final class Replayer {
    private final Producer<byte[], byte[]> producer;
    private final ToIntFunction<String> partitionCount;
    private final ReplaySpeed speed;
    private final ReplayShift shift;
    private final Map<String, Integer> partitions = new HashMap<>();
    private long unshifted;

    /**
     * @param partitionCount partitions of a topic; called once per topic on its first record and expected
     *                       to throw {@link KafkaSetupException} for a topic that cannot be written
     * @param shiftToNow     move every timestamp by the same amount so the first record is stamped now
     */
    public Replayer(Producer<byte[], byte[]> producer, ToIntFunction<String> partitionCount, ReplaySpeed speed,
                    boolean shiftToNow) {
        this(producer, partitionCount, speed, shiftToNow ? ReplayShift.TO_NOW : ReplayShift.NONE);
    }

    public Replayer(Producer<byte[], byte[]> producer, ToIntFunction<String> partitionCount, ReplaySpeed speed,
                    ReplayShift shift) {
        this.producer = producer;
        this.partitionCount = partitionCount;
        this.speed = speed;
        this.shift = shift;
    }

    /** Records of the last replay whose payload did not decode, so only their Kafka timestamp was shifted. */
    public long unshifted() {
        return unshifted;
    }

    /**
     * Replays until the end of the recording or until {@code stop} says so.
     *
     * @param progress called with the number of records sent so far, now and then
     * @return records sent (and acknowledged: the producer is flushed before returning)
     */
    public long replay(RecordingReader reader, LongConsumer progress, BooleanSupplier stop) throws IOException {
        ReplayPacer pacer = new ReplayPacer(speed);
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        long delta = 0;
        unshifted = 0;
        boolean first = true;
        long sent = 0;
        long lastProgressNanos = 0;
        for (RecordedRecord r = reader.next(); r != null && !stop.getAsBoolean(); r = reader.next()) {
            if (first) {
                first = false;
                delta = shift.deltaMs(r.timestamp(), System.currentTimeMillis());
            }
            long wait = pacer.waitNanos(r.timestamp(), System.nanoTime());
            if (wait > ReplayPacer.SLACK_NANOS) {
                producer.flush(); // a paced replay should not hold records in the producer's batches
            }
            while (wait > ReplayPacer.SLACK_NANOS && !stop.getAsBoolean()) {
                LockSupport.parkNanos(Math.min(wait, 100_000_000L));
                wait = pacer.waitNanos(r.timestamp(), System.nanoTime());
            }
            if (stop.getAsBoolean()) {
                break;
            }
            int count = partitions.computeIfAbsent(r.topic(), partitionCount::applyAsInt);
            Integer partition = r.partition() >= 0 && r.partition() < count ? r.partition() : null;
            byte[] value = r.value();
            if (delta != 0 && value != null) { // a null value is a tombstone: it has no event time
                byte[] moved = RecordTimeShift.shiftPayload(value, TopicLayout.spec(r.topic()).isPresent() ? r.topic() : null, delta);
                if (moved == null) {
                    unshifted++;
                } else {
                    value = moved;
                }
            }
            producer.send(new ProducerRecord<>(r.topic(), partition, r.timestamp() + delta, r.key(), value,
                    headers(r.headers())), (metadata, e) -> {
                if (e != null) {
                    sendFailure.compareAndSet(null, e);
                }
            });
            sent++;
            Exception failure = sendFailure.get();
            if (failure != null) {
                throw new KafkaSetupException("Kafka refused a replayed record: " + KafkaClients.oneLine(failure) + ".", failure);
            }
            long now = System.nanoTime();
            if (now - lastProgressNanos > 100_000_000L) {
                lastProgressNanos = now;
                progress.accept(sent);
            }
        }
        producer.flush();
        Exception failure = sendFailure.get();
        if (failure != null) {
            throw new KafkaSetupException("Kafka refused a replayed record: " + KafkaClients.oneLine(failure) + ".", failure);
        }
        progress.accept(sent);
        return sent;
    }

    private static List<Header> headers(List<RecordedHeader> recorded) {
        if (recorded.isEmpty()) {
            return null;
        }
        List<Header> out = new ArrayList<>(recorded.size());
        for (RecordedHeader h : recorded) {
            out.add(new RecordHeader(h.key(), h.value()));
        }
        return out;
    }
}
