package io.lazykoala.job.pipeline;

import io.lazykoala.telemetry.TelemetryRecord;
import io.lazykoala.telemetry.codec.DecodeResult;
import io.lazykoala.telemetry.codec.TelemetryCodec;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink type information for the telemetry records, serialized with the project's own
 * {@link TelemetryCodec}: compact, versioned, and it avoids Kryo, which cannot rebuild the immutable
 * lists inside ScoreRecord and RcaRecord. Records are immutable, so copies are the same object.
 */
public final class TelemetryTypeInfo<T extends TelemetryRecord> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;
    private final Class<T> type;

    private TelemetryTypeInfo(Class<T> type) {
        this.type = type;
    }

    public static <T extends TelemetryRecord> TelemetryTypeInfo<T> forRecord(Class<T> type) {
        return new TelemetryTypeInfo<>(type);
    }

    @Override public boolean isBasicType() { return false; }
    @Override public boolean isTupleType() { return false; }
    @Override public int getArity() { return 1; }
    @Override public int getTotalFields() { return 1; }
    @Override public Class<T> getTypeClass() { return type; }
    @Override public boolean isKeyType() { return false; }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new CodecSerializer<>(type);
    }

    @Override public String toString() { return "Telemetry<" + type.getSimpleName() + ">"; }
    @Override public boolean equals(Object o) { return o instanceof TelemetryTypeInfo<?> t && t.type == type; }
    @Override public int hashCode() { return type.hashCode(); }
    @Override public boolean canEqual(Object o) { return o instanceof TelemetryTypeInfo; }

    /** Length-prefixed codec bytes. */
    public static final class CodecSerializer<T extends TelemetryRecord> extends TypeSerializer<T> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;

        public CodecSerializer(Class<T> type) {
            this.type = type;
        }

        @Override public boolean isImmutableType() { return true; }
        @Override public TypeSerializer<T> duplicate() { return this; }
        @Override public T createInstance() { return null; }
        @Override public T copy(T from) { return from; }
        @Override public T copy(T from, T reuse) { return from; }
        @Override public int getLength() { return -1; }

        @Override
        public void serialize(T record, DataOutputView target) throws IOException {
            byte[] b = TelemetryCodec.encode(record);
            target.writeInt(b.length);
            target.write(b);
        }

        @Override
        public T deserialize(DataInputView source) throws IOException {
            byte[] b = new byte[source.readInt()];
            source.readFully(b);
            DecodeResult r = TelemetryCodec.decode(b);
            if (r instanceof DecodeResult.Ok ok) {
                return type.cast(ok.record());
            }
            throw new IOException("cannot decode a " + type.getSimpleName() + " from Flink state or network: " + r);
        }

        @Override
        public T deserialize(T reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            int n = source.readInt();
            target.writeInt(n);
            target.write(source, n);
        }

        @Override public boolean equals(Object o) { return o instanceof CodecSerializer<?> c && c.type == type; }
        @Override public int hashCode() { return type.hashCode(); }

        @Override
        public TypeSerializerSnapshot<T> snapshotConfiguration() {
            return new Snapshot<>(type);
        }
    }

    /** The snapshot stores the record class; the codec itself carries its own format version. */
    public static final class Snapshot<T extends TelemetryRecord> implements TypeSerializerSnapshot<T> {
        private Class<T> type;

        public Snapshot() {}

        Snapshot(Class<T> type) {
            this.type = type;
        }

        @Override public int getCurrentVersion() { return 1; }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(type.getName());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void readSnapshot(int version, DataInputView in, ClassLoader cl) throws IOException {
            try {
                type = (Class<T>) Class.forName(in.readUTF(), false, cl);
            } catch (ClassNotFoundException e) {
                throw new IOException(e);
            }
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return new CodecSerializer<>(type);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
            return old instanceof Snapshot<T> s && s.type == type
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
