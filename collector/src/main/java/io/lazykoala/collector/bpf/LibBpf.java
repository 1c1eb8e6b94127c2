package io.lazykoala.collector.bpf;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;

/**
 * The part of libbpf 1.1 (Debian's libbpf.so.1) the collector uses. Only the classic
 * {@code ring_buffer__*} API: 1.1 has no {@code ring__*} functions. Functions that fail return
 * NULL or a negative errno ({@code -errno}), libbpf 1.x "strict" mode.
 */
public interface LibBpf extends Library {

    /** Loaded lazily so that a machine without libbpf gets a clear message, not a linkage error. */
    static LibBpf load() {
        return Native.load("bpf", LibBpf.class);
    }

    /** {@code int (*ring_buffer_sample_fn)(void *ctx, void *data, size_t size)} */
    interface SampleCallback extends Callback {
        int invoke(Pointer ctx, Pointer data, long size);
    }

    /** {@code int (*libbpf_print_fn_t)(enum libbpf_print_level, const char *, va_list)}: we only count. */
    interface PrintCallback extends Callback {
        int invoke(int level, String format, Pointer args);
    }

    Pointer libbpf_set_print(PrintCallback fn);

    Pointer bpf_object__open_file(String path, Pointer opts);

    int bpf_object__load(Pointer obj);

    void bpf_object__close(Pointer obj);

    Pointer bpf_object__next_program(Pointer obj, Pointer prev);

    String bpf_program__name(Pointer prog);

    Pointer bpf_program__attach(Pointer prog);

    int bpf_link__destroy(Pointer link);

    Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    int bpf_map__fd(Pointer map);

    int bpf_map__set_max_entries(Pointer map, int maxEntries);

    int bpf_map__max_entries(Pointer map);

    Pointer bpf_map__initial_value(Pointer map, LongByReference size);

    int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    int bpf_map_delete_elem(int fd, Pointer key);

    int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

    int libbpf_num_possible_cpus();

    Pointer ring_buffer__new(int mapFd, SampleCallback cb, Pointer ctx, Pointer opts);

    int ring_buffer__poll(Pointer rb, int timeoutMs);

    int ring_buffer__consume(Pointer rb);

    void ring_buffer__free(Pointer rb);

    int libbpf_strerror(int err, byte[] buf, long size);
}
