package io.lazykoala.telemetry.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lazykoala.telemetry.RecordArbitraries;
import io.lazykoala.telemetry.TelemetryRecord;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryJsonPropertiesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Provide
    Arbitrary<TelemetryRecord> records() {
        return RecordArbitraries.any();
    }

    @Property(tries = 1000)
    void everyRecordRoundTripsThroughJsonExactly(@ForAll("records") TelemetryRecord record) throws Exception {
        String json = TelemetryJson.toJson(record);
        assertThat(json).doesNotContain("\n");
        assertThat(TelemetryJson.fromJson(json)).isEqualTo(record);
        JsonNode tree = MAPPER.readTree(json);
        assertThat(tree.get("type").textValue()).isEqualTo(record.topic().substring("lazykoala.".length()));
        assertThat(TelemetryJson.fromNode(tree)).isEqualTo(record);
    }

    /** Removing any one top-level field (other than a pod) gives an error that names that field. */
    @Property(tries = 500)
    void aMissingFieldIsNamed(@ForAll("records") TelemetryRecord record) throws Exception {
        JsonNode tree = MAPPER.readTree(TelemetryJson.toJson(record));
        var names = tree.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.equals("type")) continue;
            com.fasterxml.jackson.databind.node.ObjectNode copy = tree.deepCopy();
            copy.remove(name);
            try {
                TelemetryJson.fromNode(copy);
                throw new AssertionError("a " + record.topic() + " record without '" + name + "' was accepted");
            } catch (TelemetryJsonException e) {
                assertThat(e.getMessage()).contains("'" + name + "'").endsWith(".");
            }
        }
    }
}
