package io.lazykoala.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates missing topics and checks existing ones against their {@link TopicSpec}. */
public final class TopicSetup {
    public enum Status { CREATED, OK, MISMATCH }

    /** What happened to one topic; {@code detail} says what differs for a mismatch. */
    public record Result(String topic, Status status, String detail) {}

    private final Admin admin;
    private final String bootstrap;

    public TopicSetup(Admin admin, String bootstrap) {
        this.admin = admin;
        this.bootstrap = bootstrap;
    }

    /** Creates the missing ones, verifies the others; never deletes or alters an existing topic. */
    public List<Result> ensure(List<TopicSpec> specs) {
        Set<String> existing = listTopics();
        List<Result> results = new ArrayList<>();
        List<NewTopic> toCreate = new ArrayList<>();
        for (TopicSpec spec : specs) {
            if (!existing.contains(spec.name())) {
                toCreate.add(new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs()));
            }
        }
        if (!toCreate.isEmpty()) {
            try {
                admin.createTopics(toCreate).all().get(timeoutMs(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // lost a race with another creator: fine
                    throw failure("create topics", e);
                }
            } catch (TimeoutException | InterruptedException e) {
                throw failure("create topics", e);
            }
        }
        Set<String> created = new TreeSet<>();
        toCreate.forEach(t -> created.add(t.name()));
        awaitWritable(created);
        Map<String, TopicDescription> descriptions = describe(specs.stream().map(TopicSpec::name).toList());
        Map<String, Config> configs = configs(specs.stream().map(TopicSpec::name).toList());
        for (TopicSpec spec : specs) {
            String problem = mismatch(spec, descriptions.get(spec.name()), configs.get(spec.name()));
            if (problem != null) {
                results.add(new Result(spec.name(), Status.MISMATCH, problem));
            } else {
                results.add(new Result(spec.name(), created.contains(spec.name()) ? Status.CREATED : Status.OK,
                        descriptions.get(spec.name()).partitions().size() + " partitions"
                                + (spec.configs().isEmpty() ? "" : ", " + spec.configs())));
            }
        }
        return results;
    }

    /**
     * createTopics returns once the controller has the topics, and describeTopics reports leaders from
     * the broker's metadata cache, which is updated before the broker's replica manager has created the
     * partition logs. A produce request that lands in that gap gets NOT_LEADER_OR_FOLLOWER; an idempotent
     * producer then retries its first batch after a later batch of the same partition was already
     * appended, and the broker rejects the retry as out of order until the delivery timeout (seen as a
     * 120 s stall on a fresh broker). ListOffsets is answered by the replica manager itself, so once it
     * succeeds for every partition, every partition can take writes.
     */
    private void awaitWritable(Set<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.currentTimeMillis() + timeoutMs();
        Map<TopicPartition, OffsetSpec> partitions = new LinkedHashMap<>();
        describe(topics).values().forEach(d -> d.partitions()
                .forEach(p -> partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        while (true) {
            try {
                admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(1000)).all()
                        .get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new KafkaSetupException("Topics " + topics + " on " + bootstrap
                            + " were created but their partitions did not become writable in time.");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaSetupException("Interrupted while waiting for the partitions of " + topics + " to become writable.");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaSetupException("Interrupted while waiting for the partitions of " + topics + " to become writable.");
            }
        }
    }

    /** Throws a one-sentence {@link KafkaSetupException} naming the first topic that does not exist. */
    public void requireExisting(Collection<String> topics) {
        Set<String> existing = listTopics();
        for (String t : topics) {
            if (!existing.contains(t)) {
                throw new KafkaSetupException("Topic '" + t + "' does not exist on " + bootstrap
                        + (TopicLayout.spec(t).isPresent()
                        ? " (create the Lazy Koala topics with `lazykoala kafka topics --bootstrap " + bootstrap + "`)."
                        : "."));
            }
        }
    }

    /** Partition count per topic, for topics that exist. */
    public Map<String, Integer> partitionCounts(Collection<String> topics) {
        Map<String, Integer> out = new LinkedHashMap<>();
        describe(topics).forEach((t, d) -> out.put(t, d.partitions().size()));
        return out;
    }

    public Set<String> listTopics() {
        try {
            return new TreeSet<>(admin.listTopics().names().get(timeoutMs(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            throw failure("list topics", e);
        }
    }

    private Map<String, TopicDescription> describe(Collection<String> topics) {
        return withMetadataRetry("describe topics",
                () -> admin.describeTopics(topics).allTopicNames().get(timeoutMs(), TimeUnit.MILLISECONDS));
    }

    private Map<String, Config> configs(Collection<String> topics) {
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<String, Config> out = new LinkedHashMap<>();
        withMetadataRetry("describe topic configs",
                () -> admin.describeConfigs(resources).all().get(timeoutMs(), TimeUnit.MILLISECONDS))
                .forEach((r, c) -> out.put(r.name(), c));
        return out;
    }

    private interface AdminCall<T> {
        T call() throws ExecutionException, TimeoutException, InterruptedException;
    }

    /**
     * A topic created a moment ago can be unknown to the broker's metadata cache for a short while;
     * retry that case (only that one) for a few seconds.
     */
    private <T> T withMetadataRetry(String what, AdminCall<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt >= 20) {
                    throw failure(what, e);
                }
            } catch (TimeoutException | InterruptedException e) {
                throw failure(what, e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                throw failure(what, e);
            }
        }
    }

    static String mismatch(TopicSpec spec, TopicDescription description, Config config) {
        int partitions = description.partitions().size();
        if (partitions < spec.partitions()) {
            return "has " + partitions + " partitions, Lazy Koala expects at least " + spec.partitions();
        }
        for (Map.Entry<String, String> want : spec.configs().entrySet()) {
            ConfigEntry have = config == null ? null : config.get(want.getKey());
            String value = have == null ? null : have.value();
            if (!want.getValue().equals(value)) {
                return "has " + want.getKey() + "=" + value + ", Lazy Koala expects " + want.getValue();
            }
        }
        return null;
    }

    private long timeoutMs() {
        return KafkaClients.OPERATION_TIMEOUT.toMillis();
    }

    private KafkaSetupException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new KafkaSetupException("No Kafka broker answered at " + bootstrap + " in time to " + what + ".", e);
        }
        return new KafkaSetupException("Could not " + what + " on " + bootstrap + ": " + KafkaClients.oneLine(cause) + ".", e);
    }
}
