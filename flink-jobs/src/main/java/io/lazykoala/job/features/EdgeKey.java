package io.lazykoala.job.features;

import io.lazykoala.telemetry.Direction;
import io.lazykoala.telemetry.TcpRecord;

import java.io.Serializable;

/**
 * A request-exchange edge: the caller (initiator) service calls the callee (acceptor) service. Keys are
 * "namespace/service" strings so the edge is cheap to hash, shuffle and keep in state.
 */
public record EdgeKey(String caller, String callee) implements Serializable, Comparable<EdgeKey> {

    /**
     * The edge a TCP record tells about, or null. An OUT record tells about it when its destination workload is
     * known, an IN record when its source is known; connections to or from the outside world, and a service
     * talking to itself, make no edge.
     */
    public static EdgeKey of(TcpRecord t) {
        if (!t.src().isKnown() || !t.dst().isKnown()) {
            return null;
        }
        String caller = t.src().key();
        String callee = t.dst().key();
        return caller.equals(callee) ? null : new EdgeKey(caller, callee);
    }

    /** Which end saw it: 0 = the caller (OUT), 1 = the callee (IN). */
    static int side(TcpRecord t) {
        return t.direction() == Direction.OUT ? 0 : 1;
    }

    /**
     * Mixed, because service names differ in a digit or two: the record's default (31 * caller + callee)
     * put the edges of svc-1..svc-50 into a handful of hash buckets (seen as tree bins in a profile).
     */
    @Override
    public int hashCode() {
        int h = caller.hashCode() * 0x9E3779B9 + callee.hashCode();
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        return h ^ (h >>> 13);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof EdgeKey e && caller.equals(e.caller) && callee.equals(e.callee);
    }

    @Override
    public int compareTo(EdgeKey o) {
        int c = caller.compareTo(o.caller);
        return c != 0 ? c : callee.compareTo(o.callee);
    }

    @Override
    public String toString() {
        return caller + " -> " + callee;
    }
}
