package io.lazykoala.collector.bpf;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Captures libbpf's own log (which otherwise goes to stderr) so start-up failures can be reported
 * in one sentence while the verifier's details stay available with --verbose. Formats the va_list
 * with libc's vsnprintf.
 */
final class LibBpfLog {
    interface LibC extends Library {
        int vsnprintf(Pointer buf, long size, String format, Pointer args);
    }

    private static final int KEEP = 400;
    private static final Deque<String> LINES = new ArrayDeque<>();
    private static volatile boolean echo;
    private static LibC libc;
    /** kept strongly reachable: libbpf holds the function pointer forever */
    private static LibBpf.PrintCallback callback;

    private LibBpfLog() {}

    static synchronized void install(LibBpf lib, boolean echoToStderr) {
        echo = echoToStderr;
        if (callback != null) {
            return;
        }
        libc = Native.load("c", LibC.class);
        callback = (level, format, args) -> {
            Memory buf = new Memory(1024);
            int n = libc.vsnprintf(buf, buf.size(), format, args);
            String line = n <= 0 ? "" : buf.getString(0).stripTrailing();
            synchronized (LINES) {
                if (LINES.size() >= KEEP) LINES.removeFirst();
                LINES.addLast(line);
            }
            if (echo) System.err.println("libbpf: " + line);
            return 0;
        };
        lib.libbpf_set_print(callback);
    }

    static List<String> lines() {
        synchronized (LINES) {
            return new ArrayList<>(LINES);
        }
    }

    static void clear() {
        synchronized (LINES) {
            LINES.clear();
        }
    }
}
