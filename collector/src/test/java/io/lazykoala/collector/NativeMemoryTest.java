package io.lazykoala.collector;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plain loads and stores the record path uses instead of JNA calls, checked against JNA's own. */
class NativeMemoryTest {
    @Test
    void copiesEveryLengthAndOffsetBothWays() {
        Random random = new Random(7);
        try (Memory native_ = new Memory(64)) {
            long address = Pointer.nativeValue(native_);
            for (int offset = 0; offset < 9; offset++) {
                for (int length = 0; length + offset <= 40; length++) {
                    byte[] src = new byte[48];
                    random.nextBytes(src);
                    native_.clear();
                    NativeMemory.write(address + 3, src, offset, length);
                    byte[] expected = new byte[64];
                    System.arraycopy(src, offset, expected, 3, length);
                    assertThat(native_.getByteArray(0, 64)).as("write offset %d length %d", offset, length).isEqualTo(expected);

                    byte[] back = new byte[48];
                    NativeMemory.read(address + 3, back, offset, length);
                    byte[] expectedBack = new byte[48];
                    System.arraycopy(src, offset, expectedBack, offset, length);
                    assertThat(back).as("read offset %d length %d", offset, length).isEqualTo(expectedBack);
                }
            }
        }
    }

    @Test
    void readsAndWritesWordsInNativeOrder() {
        try (Memory m = new Memory(32)) {
            long address = Pointer.nativeValue(m);
            m.setLong(8, 0x1122334455667788L);
            m.setInt(16, -5);
            assertThat(NativeMemory.getLong(address + 8)).isEqualTo(0x1122334455667788L);
            assertThat(NativeMemory.getLongAcquire(address + 8)).isEqualTo(0x1122334455667788L);
            assertThat(NativeMemory.getInt(address + 16)).isEqualTo(-5);
            assertThat(NativeMemory.getIntAcquire(address + 16)).isEqualTo(-5);
            NativeMemory.putLong(address, 42);
            NativeMemory.putLongRelease(address + 24, -42);
            assertThat(m.getLong(0)).isEqualTo(42);
            assertThat(m.getLong(24)).isEqualTo(-42);
        }
    }

    @Test
    void neverCopiesOutsideTheArray() {
        try (Memory m = new Memory(64)) {
            long address = Pointer.nativeValue(m);
            assertThatThrownBy(() -> NativeMemory.read(address, new byte[8], 4, 5)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> NativeMemory.write(address, new byte[8], -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> NativeMemory.write(address, new byte[8], 0, 9)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void readsWordsOfAByteArrayInNativeOrderAtAnyOffset() {
        byte[] a = new byte[24];
        new Random(11).nextBytes(a);
        ByteBuffer expected = ByteBuffer.wrap(a).order(ByteOrder.nativeOrder());
        for (int offset = 0; offset + 8 <= a.length; offset++) {
            assertThat(NativeMemory.getLong(a, offset)).as("long at %d", offset).isEqualTo(expected.getLong(offset));
            assertThat(NativeMemory.getInt(a, offset)).as("int at %d", offset).isEqualTo(expected.getInt(offset));
            assertThat(NativeMemory.getShort(a, offset)).as("short at %d", offset).isEqualTo(expected.getShort(offset));
        }
        assertThat(NativeMemory.getLong(a, 16)).isEqualTo(expected.getLong(16));
        assertThat(NativeMemory.getInt(a, 20)).isEqualTo(expected.getInt(20));
        assertThat(NativeMemory.getShort(a, 22)).isEqualTo(expected.getShort(22));
    }

    @Test
    void neverReadsOutsideAByteArray() {
        byte[] a = new byte[16];
        assertThatThrownBy(() -> NativeMemory.getLong(a, 9)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> NativeMemory.getLong(a, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> NativeMemory.getInt(a, 13)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> NativeMemory.getShort(a, 15)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> NativeMemory.getShort(new byte[1], 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> NativeMemory.getInt(a, Integer.MIN_VALUE)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
