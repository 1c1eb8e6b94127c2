package io.lazykoala.collector.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import io.lazykoala.telemetry.IpAddress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The loaded eBPF object: opens bpf/lazykoala.bpf.o through libbpf, checks its layout, loads and
 * attaches its tracepoint programs, and gives typed access to its maps. Close it to detach.
 */
public final class BpfTelemetry implements AutoCloseable {
    public static final String OBJECT_RESOURCE = "/io/lazykoala/collector/bpf/lazykoala.bpf.o";
    public static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");

    /** Programs whose hook may be missing on older kernels; the collector runs without them. */
    private static final Set<String> OPTIONAL = Set.of("lk_sock_send_length", "lk_sock_recv_length", "lk_kfree_skb", "lk_tcp_retransmit_synack");

    private final LibBpf lib;
    private final Pointer obj;
    private final List<Pointer> links = new ArrayList<>();
    private final List<String> missingOptional = new ArrayList<>();
    private final int eventsFd;
    private final int monitoredFd;
    private final int configFd;
    private final int countersFd;
    private final int listenFd;
    private final int cpus;
    private final Set<IpAddress> monitored = new HashSet<>();
    private boolean closed;

    private BpfTelemetry(LibBpf lib, Pointer obj) {
        this.lib = lib;
        this.obj = obj;
        this.eventsFd = fd("lk_events");
        this.monitoredFd = fd("lk_monitored");
        this.configFd = fd("lk_config");
        this.countersFd = fd("lk_counters");
        this.listenFd = fd("lk_listen");
        this.cpus = lib.libbpf_num_possible_cpus();
    }

    /** Options fixed before load. */
    /** @param ringBufferBytes size of the kernel→collector ring (a power of two, at least 64 KB) */
    public record Options(int maxConnections, boolean verbose, int ringBufferBytes) {
        public Options(int maxConnections, boolean verbose) {
            this(maxConnections, verbose, 1 << 22);
        }

        public static Options defaults() {
            return new Options(131072, false);
        }
    }

    /** Loads the object packaged in the collector jar. */
    public static BpfTelemetry loadPackaged(Options options) throws BpfUnavailableException {
        return load(extractPackagedObject(), options);
    }

    /** Where the packaged object is, extracted to a temporary file; explains its absence. */
    public static Path extractPackagedObject() throws BpfUnavailableException {
        try (InputStream in = BpfTelemetry.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new BpfUnavailableException("This collector was built without its eBPF object (clang-14 and bpftool were missing at build time); rebuild with them installed.");
            }
            Path tmp = Files.createTempFile("lazykoala-", ".bpf.o");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new BpfUnavailableException("Cannot extract the eBPF object to a temporary file: " + e.getMessage() + ".");
        }
    }

    /** Why eBPF cannot work on this machine, or null if it may: checked before touching libbpf. */
    public static String unavailableReason() {
        if (!Files.isReadable(BTF)) {
            return "This kernel exposes no BTF at " + BTF + " (needs CONFIG_DEBUG_INFO_BTF, Linux 5.8 or later).";
        }
        String missing = Capabilities.missingForBpf();
        if (missing != null) {
            return missing;
        }
        return null;
    }

    public static BpfTelemetry load(Path object, Options options) throws BpfUnavailableException {
        String reason = unavailableReason();
        if (reason != null) {
            throw new BpfUnavailableException(reason);
        }
        int[] kernel = KernelVersion.current();
        if (!KernelVersion.atLeast(kernel, 5, 8)) {
            throw new BpfUnavailableException("Kernel " + kernel[0] + "." + kernel[1] + " is too old: the collector needs Linux 5.8 or later (BTF tracepoints and ring buffers).");
        }
        LibBpf lib;
        try {
            lib = LibBpf.load();
        } catch (UnsatisfiedLinkError e) {
            throw new BpfUnavailableException("libbpf.so.1 is not installed (Debian/Ubuntu package libbpf1).");
        }
        LibBpfLog.install(lib, options.verbose());
        LibBpfLog.clear();
        Pointer obj = lib.bpf_object__open_file(object.toString(), null);
        if (obj == null) {
            throw new BpfUnavailableException("libbpf cannot open the eBPF object " + object + ": " + strerror(lib, Native.getLastError()) + ".");
        }
        try {
            checkLayout(lib, obj);
            Pointer conns = lib.bpf_object__find_map_by_name(obj, "lk_conns");
            if (conns != null && options.maxConnections() > 0) {
                lib.bpf_map__set_max_entries(conns, options.maxConnections());
            }
            if (Integer.bitCount(options.ringBufferBytes()) != 1 || options.ringBufferBytes() < (1 << 16)) {
                throw new BpfUnavailableException("The ring buffer size must be a power of two of at least 64 KB, not " + options.ringBufferBytes() + " bytes.");
            }
            lib.bpf_map__set_max_entries(lib.bpf_object__find_map_by_name(obj, "lk_events"), options.ringBufferBytes());
            int rc = lib.bpf_object__load(obj);
            if (rc != 0) {
                throw new BpfUnavailableException(explainLoadFailure(lib, -rc));
            }
            BpfTelemetry t = new BpfTelemetry(lib, obj);
            t.attachAll();
            return t;
        } catch (BpfUnavailableException | RuntimeException e) {
            lib.bpf_object__close(obj);
            throw e;
        }
    }

    private static void checkLayout(LibBpf lib, Pointer obj) throws BpfUnavailableException {
        Pointer rodata = lib.bpf_object__find_map_by_name(obj, ".rodata");
        LongByReference size = new LongByReference();
        Pointer data = rodata == null ? null : lib.bpf_map__initial_value(rodata, size);
        if (data == null || size.getValue() < BpfLayout.LAYOUT_STRUCT_SIZE) {
            throw new BpfUnavailableException("The eBPF object does not export its record layout (lk_layout); it was not built from this collector's bpf/ sources.");
        }
        ByteBuffer b = data.getByteBuffer(0, BpfLayout.LAYOUT_STRUCT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int[] actual = {b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12), b.getInt(16)};
        int[] expected = {BpfLayout.VERSION, BpfLayout.CONN_EVENT_SIZE, BpfLayout.LISTEN_KEY_SIZE, BpfLayout.LISTEN_STATS_SIZE, BpfLayout.CONFIG_SIZE};
        if (!java.util.Arrays.equals(actual, expected)) {
            throw new BpfUnavailableException("The eBPF object's record layout " + java.util.Arrays.toString(actual)
                    + " does not match this collector's " + java.util.Arrays.toString(expected) + "; rebuild both from the same sources.");
        }
    }

    private static String explainLoadFailure(LibBpf lib, int errno) {
        List<String> log = LibBpfLog.lines();
        String detail = log.stream().filter(l -> l.contains("failed") || l.contains("invalid") || l.contains("unknown")).reduce((a, b) -> b).orElse("");
        if (errno == 1 /* EPERM */ || errno == 13 /* EACCES */) {
            String missing = Capabilities.missingForBpf();
            return missing != null ? missing
                    : "The kernel refused to load the eBPF programs (" + strerror(lib, errno) + "); check CAP_BPF, CAP_PERFMON and kernel lockdown.";
        }
        if (errno == 2 /* ENOENT */ || errno == 3 /* ESRCH */ || detail.contains("tp_btf")) {
            return "The kernel lacks a tracepoint the collector needs (sock/inet_sock_set_state, tcp/tcp_retransmit_skb): the kernel is too old"
                    + (detail.isEmpty() ? "." : " (libbpf: " + detail + ").");
        }
        return "The kernel refused to load the eBPF programs: " + strerror(lib, errno)
                + (detail.isEmpty() ? "" : " (libbpf: " + detail + ")") + "; run with --verbose for the verifier log.";
    }

    private void attachAll() throws BpfUnavailableException {
        Pointer prog = null;
        while ((prog = lib.bpf_object__next_program(obj, prog)) != null) {
            String name = lib.bpf_program__name(prog);
            Pointer link = lib.bpf_program__attach(prog);
            if (link == null) {
                int errno = Native.getLastError();
                if (OPTIONAL.contains(name)) {
                    missingOptional.add(name);
                    continue;
                }
                closeLinks();
                throw new BpfUnavailableException("Cannot attach eBPF program " + name + ": " + strerror(lib, errno) + ".");
            }
            links.add(link);
        }
    }

    private int fd(String map) {
        Pointer m = lib.bpf_object__find_map_by_name(obj, map);
        if (m == null) {
            throw new IllegalStateException("the eBPF object has no map " + map);
        }
        return lib.bpf_map__fd(m);
    }

    static String strerror(LibBpf lib, int err) {
        byte[] buf = new byte[256];
        lib.libbpf_strerror(Math.abs(err), buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) n++;
        return new String(buf, 0, n);
    }

    LibBpf lib() {
        return lib;
    }

    int eventsFd() {
        return eventsFd;
    }

    /** Size of the ring buffer's data area in bytes (a power of two). */
    long eventsRingSize() {
        return Integer.toUnsignedLong(lib.bpf_map__max_entries(lib.bpf_object__find_map_by_name(obj, "lk_events")));
    }

    /** Hooks that did not attach on this kernel (the collector works without them, less precisely). */
    public List<String> missingOptionalPrograms() {
        return List.copyOf(missingOptional);
    }

    /** Filter mode and interval records. */
    public synchronized void configure(boolean monitorAll, long intervalNs) {
        Memory key = new Memory(4);
        key.setInt(0, 0);
        Memory value = new Memory(BpfLayout.CONFIG_SIZE);
        value.clear();
        value.setInt(0, monitorAll ? 1 : 0);
        value.setLong(8, intervalNs);
        check(lib.bpf_map_update_elem(configFd, key, value, 0), "update lk_config");
    }

    /** Makes the in-kernel filter hold exactly these addresses. */
    public synchronized void setMonitored(Set<IpAddress> addresses) {
        Memory key = new Memory(BpfLayout.ADDR_SIZE);
        Memory one = new Memory(1);
        one.setByte(0, (byte) 1);
        for (IpAddress ip : addresses) {
            if (!monitored.contains(ip)) {
                key.write(0, ConnEvent.addressKey(ip), 0, 16);
                check(lib.bpf_map_update_elem(monitoredFd, key, one, 0), "add monitored address " + ip);
            }
        }
        for (IpAddress ip : new ArrayList<>(monitored)) {
            if (!addresses.contains(ip)) {
                key.write(0, ConnEvent.addressKey(ip), 0, 16);
                lib.bpf_map_delete_elem(monitoredFd, key);
            }
        }
        monitored.clear();
        monitored.addAll(addresses);
    }

    /** The kernel-side counters (LK_CNT_*), summed over CPUs. */
    public synchronized long[] counters() {
        long[] out = new long[BpfLayout.CNT_MAX];
        Memory key = new Memory(4);
        Memory values = new Memory(8L * cpus);
        for (int i = 0; i < out.length; i++) {
            key.setInt(0, i);
            if (lib.bpf_map_lookup_elem(countersFd, key, values) == 0) {
                long sum = 0;
                for (int c = 0; c < cpus; c++) sum += values.getLong(8L * c);
                out[i] = sum;
            }
        }
        return out;
    }

    /** One entry of the accept-queue statistics map. */
    public record ListenStats(IpAddress address, int port, long netns, int backlogMax, int backlogLast, int backlogLimit,
                              long overflows, long accepted, long listenerDrops) {
        public ListenStats(IpAddress address, int port, long netns, int backlogMax, int backlogLast, int backlogLimit,
                           long overflows, long accepted) {
            this(address, port, netns, backlogMax, backlogLast, backlogLimit, overflows, accepted, 0);
        }
    }

    /**
     * Reads all accept-queue statistics and resets each entry's maximum, so the next read reports
     * the maximum of the next interval. Overflow and accept counts are cumulative.
     */
    public synchronized List<ListenStats> drainListenStats() {
        List<ListenStats> out = new ArrayList<>();
        Memory prev = new Memory(BpfLayout.LISTEN_KEY_SIZE);
        Memory next = new Memory(BpfLayout.LISTEN_KEY_SIZE);
        Memory value = new Memory(BpfLayout.LISTEN_STATS_SIZE);
        Pointer cursor = null;
        for (int guard = 0; guard < 100_000; guard++) {
            if (lib.bpf_map_get_next_key(listenFd, cursor, next) != 0) {
                break;
            }
            if (lib.bpf_map_lookup_elem(listenFd, next, value) == 0) {
                byte[] k = next.getByteArray(0, BpfLayout.LISTEN_KEY_SIZE);
                ByteBuffer kb = ByteBuffer.wrap(k).order(ByteOrder.LITTLE_ENDIAN);
                out.add(new ListenStats(ConnEvent.address(k, 0), Short.toUnsignedInt(kb.getShort(16)),
                        Integer.toUnsignedLong(kb.getInt(20)), value.getInt(0), value.getInt(4), value.getInt(8),
                        value.getLong(16), value.getLong(24), Integer.toUnsignedLong(value.getInt(12))));
                // restart the maximum at the current length (a racing update may be lost: it is a sample)
                value.setInt(0, value.getInt(4));
                lib.bpf_map_update_elem(listenFd, next, value, 2 /* BPF_EXIST */);
            }
            prev.write(0, next.getByteArray(0, BpfLayout.LISTEN_KEY_SIZE), 0, BpfLayout.LISTEN_KEY_SIZE);
            cursor = prev;
        }
        return out;
    }

    private void check(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException(what + ": " + strerror(lib, rc));
        }
    }

    private void closeLinks() {
        for (Pointer l : links) lib.bpf_link__destroy(l);
        links.clear();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        closeLinks();
        lib.bpf_object__close(obj);
    }
}
