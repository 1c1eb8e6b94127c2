package io.lazykoala.collector.lab;

import io.lazykoala.telemetry.labels.Incident;

import java.nio.file.Path;
import java.util.List;

/** What a lab run produced. */
public record LabResult(Path recording, Path labels, List<Incident> incidents, long tcpRecords, long listenRecords,
                        long resourceRecords, long droppedRecords, long ringbufDrops) {}
