package io.lazykoala.kafka;

import io.lazykoala.telemetry.recording.RecordedHeader;
import io.lazykoala.telemetry.recording.RecordedRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Reads topics into a sink as {@link RecordedRecord}s, without a consumer group (nothing is committed,
 * every run sees the same data). Either up to the end offsets seen at the start ({@link Mode#TO_END},
 * what is in the topics now) or on and on ({@link Mode#FOLLOW}) until stopped or the duration is up.
 */
public final class TopicRecorder {
    public enum Mode { TO_END, FOLLOW }

    /** Where records go; the offset is Kafka's, for renderings that show it. */
    @FunctionalInterface
    public interface Sink {
        void accept(RecordedRecord record, long offset) throws IOException;
    }

    private final Consumer<byte[], byte[]> consumer;

    public TopicRecorder(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /**
     * @param fromBeginning start at the earliest offsets (else only records produced from now on)
     * @param maxDuration   stop after this long, null for no limit
     * @param stop          polled between batches; a Ctrl-C handler can also call {@link #wakeup()}
     * @return records passed to the sink
     */
    public long record(List<String> topics, boolean fromBeginning, Mode mode, Duration maxDuration,
                       Sink sink, BooleanSupplier stop) throws IOException {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, KafkaClients.OPERATION_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new KafkaSetupException("Topic '" + topic + "' does not exist.");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        Map<TopicPartition, Long> pending = new HashMap<>();
        if (mode == Mode.TO_END) {
            consumer.endOffsets(partitions, KafkaClients.OPERATION_TIMEOUT).forEach((tp, end) -> {
                if (consumer.position(tp, KafkaClients.OPERATION_TIMEOUT) < end) {
                    pending.put(tp, end);
                }
            });
        }
        long deadline = maxDuration == null ? Long.MAX_VALUE : System.nanoTime() + maxDuration.toNanos();
        long count = 0;
        try {
            while (!stop.getAsBoolean() && System.nanoTime() < deadline && !(mode == Mode.TO_END && pending.isEmpty())) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(Math.max(1, Math.min(200, leftMs))));
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    Long end = pending.get(new TopicPartition(r.topic(), r.partition()));
                    if (mode == Mode.TO_END && (end == null || r.offset() >= end)) {
                        continue; // arrived after the start: not part of "what is in the topics now"
                    }
                    sink.accept(toRecorded(r), r.offset());
                    count++;
                }
                if (mode == Mode.TO_END) {
                    pending.entrySet().removeIf(e -> consumer.position(e.getKey(), KafkaClients.OPERATION_TIMEOUT) >= e.getValue());
                }
            }
        } catch (WakeupException e) {
            // stop requested from another thread (Ctrl-C); what was read so far is kept
        }
        return count;
    }

    /** Makes a running {@link #record} return promptly; safe to call from another thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    public static RecordedRecord toRecorded(ConsumerRecord<byte[], byte[]> r) {
        List<RecordedHeader> headers = new ArrayList<>();
        for (Header h : r.headers()) {
            headers.add(new RecordedHeader(h.key(), h.value()));
        }
        return new RecordedRecord(r.topic(), r.partition(), r.key(), r.value(), r.timestamp(), headers);
    }
}
