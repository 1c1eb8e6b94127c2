package io.lazykoala.simulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds a random layered call DAG from a seed: a few gateways at the top, business services in the
 * middle layers and data stores at the bottom; every service is reachable from a gateway. CPU limits
 * are sized from the expected load so that each pod runs at 15-45% utilisation at the daily mean,
 * leaving head-room for the daily peak and bursts, as a capacity-planned estate would.
 *
 * <p>{@code random50.yaml} is {@code generate("random50", 50, 50)} written out with
 * {@link SimulationSpec#toYaml}; batch runs can call {@link #generate} with their own seeds.
 */
public final class RandomTopologyGenerator {
    private static final String[] WORDS = {
        "auth", "users", "orders", "inventory", "pricing", "search", "reviews", "billing", "invoices", "shipping",
        "tracking", "notify", "email", "sms", "profile", "session", "catalog", "media", "thumbnails", "ratings",
        "cart", "wishlist", "coupons", "loyalty", "fraud", "risk", "ledger", "payments", "refunds", "tax",
        "geo", "routing", "eta", "dispatch", "drivers", "fleet", "audit", "reports", "export", "import",
        "feeds", "ranking", "ads", "bidding", "metrics", "config", "flags", "quota", "limits", "gateway-internal",
        "translate", "currency", "accounts", "kyc", "support", "chat", "tickets", "docs", "storage", "scheduler"};
    private static final String[] STORES = {"redis", "postgres", "mongo", "cassandra", "elastic", "memcached", "mysql", "kafka-proxy"};

    private RandomTopologyGenerator() {}

    /**
     * A random topology of {@code services} services (at least 4), identical for the same arguments.
     *
     * @param name     the spec's name (also its namespace)
     * @param services how many services
     * @param seed     seed of every choice
     */
    public static SpecFile generate(String name, int services, long seed) {
        if (services < 4) {
            throw new IllegalArgumentException("a random topology needs at least 4 services, not " + services);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        SpecFile f = new SpecFile();
        f.name = name;
        f.namespace = name;
        int nodeCount = Math.max(2, Math.min(12, services / 8 + 2));
        f.nodes = new ArrayList<>();
        for (int k = 1; k <= nodeCount; k++) {
            f.nodes.add("node-" + k);
        }

        // layers: gateways, 2-4 middle layers, stores
        int gateways = services >= 20 ? 2 : 1;
        int stores = Math.max(1, services / 7);
        int middle = services - gateways - stores;
        int middleLayers = Math.max(1, Math.min(4, middle / 6));
        List<List<Integer>> layers = new ArrayList<>();
        List<String> names = names(services, gateways, stores, rng);
        int idx = 0;
        layers.add(range(idx, gateways));
        idx += gateways;
        for (int l = 0; l < middleLayers; l++) {
            int size = l == middleLayers - 1 ? middle - (middleLayers - 1) * (middle / middleLayers) : middle / middleLayers;
            layers.add(range(idx, size));
            idx += size;
        }
        layers.add(range(idx, stores));
        int[] layerOf = new int[services];
        for (int l = 0; l < layers.size(); l++) {
            for (int s : layers.get(l)) {
                layerOf[s] = l;
            }
        }

        // edges: each non-gateway gets 1-2 callers from the layer just above (reachability),
        // then extra random downward edges
        List<int[]> edges = new ArrayList<>();
        Set<Long> seen = new LinkedHashSet<>();
        for (int l = 1; l < layers.size(); l++) {
            List<Integer> above = layers.get(l - 1);
            for (int s : layers.get(l)) {
                int callers = 1 + (rng.nextDouble() < 0.35 ? 1 : 0);
                for (int c = 0; c < callers; c++) {
                    addEdge(edges, seen, above.get(rng.nextInt(above.size())), s);
                }
            }
        }
        int extra = services / 2;
        for (int k = 0; k < extra; k++) {
            int from = rng.nextInt(services - stores);
            int fromLayer = layerOf[from];
            int toLayer = fromLayer + 1 + rng.nextInt(layers.size() - 1 - fromLayer);
            List<Integer> target = layers.get(toLayer);
            addEdge(edges, seen, from, target.get(rng.nextInt(target.size())));
        }

        // expected call rates to size capacity
        double[] rate = new double[services];
        double[] entryRps = new double[gateways];
        for (int g = 0; g < gateways; g++) {
            entryRps[g] = 60 + rng.nextInt(100);
            rate[g] = entryRps[g];
        }
        double[] probability = new double[edges.size()];
        double[] fanout = new double[edges.size()];
        for (int e = 0; e < edges.size(); e++) {
            probability[e] = round2(0.2 + 0.8 * rng.nextDouble());
            fanout[e] = rng.nextDouble() < 0.2 ? 2 : 1;
        }
        // edges only go to later layers and services are numbered by layer, so index order is topological
        for (int s = 0; s < services; s++) {
            for (int e = 0; e < edges.size(); e++) {
                if (edges.get(e)[0] == s) {
                    rate[edges.get(e)[1]] += rate[s] * probability[e] * fanout[e];
                }
            }
        }

        for (int s = 0; s < services; s++) {
            SpecFile.Service svc = new SpecFile.Service();
            boolean store = layerOf[s] == layers.size() - 1;
            boolean gateway = layerOf[s] == 0;
            svc.name = names.get(s);
            svc.replicas = store ? 1 : 1 + rng.nextInt(gateway ? 3 : 3);
            svc.port = store ? 6379 + rng.nextInt(3000) : 8080 + (rng.nextDouble() < 0.3 ? 1000 : 0);
            svc.latencyMs = round2(store ? 0.3 + 2 * rng.nextDouble() : 2 + 25 * rng.nextDouble() * rng.nextDouble());
            svc.latencySigma = round2(0.25 + 0.2 * rng.nextDouble());
            svc.cpuPerRequestMs = round2(store ? 0.1 + 0.4 * rng.nextDouble() : 0.5 + 5 * rng.nextDouble());
            double ratePod = rate[s] / svc.replicas;
            double utilisation = 0.15 + 0.3 * rng.nextDouble();
            svc.cpuLimitCores = round2(Math.max(0.1, svc.cpuIdleCores + ratePod * svc.cpuPerRequestMs / 1000 / utilisation));
            svc.memoryMb = Math.round(store ? 60 + 400 * rng.nextDouble() : 60 + 250 * rng.nextDouble());
            svc.memoryLimitMb = Math.round(svc.memoryMb * (2 + 2 * rng.nextDouble()));
            svc.requestBytes = 100 + rng.nextInt(1500);
            svc.responseBytes = 150 + rng.nextInt(store ? 3000 : 12000);
            svc.acceptBacklog = store ? 511 : (gateway ? 1024 : 128);
            f.services.add(svc);
        }
        for (int e = 0; e < edges.size(); e++) {
            int from = edges.get(e)[0];
            int to = edges.get(e)[1];
            boolean toStore = layerOf[to] == layers.size() - 1;
            SpecFile.Call c = new SpecFile.Call();
            c.from = names.get(from);
            c.to = names.get(to);
            c.probability = probability[e];
            c.fanout = fanout[e];
            c.retries = rng.nextDouble() < 0.4 ? 1 : 0;
            c.timeoutMs = toStore ? 500 : 1000 + 1000L * rng.nextInt(5);
            double callRate = rate[from] * probability[e] * fanout[e];
            double u = rng.nextDouble();
            c.connections = toStore || u < 0.3 ? "pooled" : (u < 0.4 && callRate < 15 ? "short" : "mixed");
            c.poolSize = 1 + rng.nextInt(toStore ? 4 : 3);
            c.shortFraction = round2(0.05 + 0.15 * rng.nextDouble());
            c.maxShortPerSecond = 10;
            f.calls.add(c);
        }
        f.load = new SpecFile.Load();
        for (int g = 0; g < gateways; g++) {
            SpecFile.Entry en = new SpecFile.Entry();
            en.service = names.get(g);
            en.rps = entryRps[g];
            en.poolSize = 4 + rng.nextInt(5);
            en.shortFraction = 0.2;
            en.maxShortPerSecond = 30;
            f.load.entries.add(en);
        }
        f.load.daily.amplitude = round2(0.2 + 0.2 * rng.nextDouble());
        f.load.daily.peakHour = 10 + rng.nextInt(10);
        f.load.bursts.perHour = 1;
        f.load.bursts.multiplier = 1.3;
        f.load.bursts.durationS = 60 + rng.nextInt(60);
        f.faults = new ArrayList<>();
        return f;
    }

    private static List<String> names(int services, int gateways, int stores, SplittableRandom rng) {
        List<String> words = new ArrayList<>(List.of(WORDS));
        for (int i = words.size() - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            String t = words.get(i);
            words.set(i, words.get(k));
            words.set(k, t);
        }
        List<String> names = new ArrayList<>();
        for (int g = 0; g < gateways; g++) {
            names.add(g == 0 ? "gateway" : "gateway-" + (g + 1));
        }
        int middle = services - gateways - stores;
        for (int m = 0; m < middle; m++) {
            String w = words.get(m % words.size());
            names.add(m < words.size() ? w : w + "-" + (m / words.size() + 1));
        }
        for (int s = 0; s < stores; s++) {
            String w = STORES[s % STORES.length];
            names.add(s < STORES.length ? w : w + "-" + (s / STORES.length + 1));
        }
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }

    private static List<Integer> range(int from, int count) {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            r.add(from + i);
        }
        return r;
    }

    private static void addEdge(List<int[]> edges, Set<Long> seen, int from, int to) {
        if (from != to && seen.add(((long) from << 32) | to)) {
            edges.add(new int[] {from, to});
        }
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Writes {@code random50.yaml}: {@code RandomTopologyGenerator [name] [services] [seed]} prints the YAML. */
    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "random50";
        int services = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 50;
        SpecFile f = generate(name, services, seed);
        SimulationSpec.of(f, name); // validate before printing
        System.out.print("# A random " + services + "-service call DAG, generated by\n"
                + "#   RandomTopologyGenerator.generate(\"" + name + "\", " + services + ", " + seed + ")\n"
                + "# (io.lazykoala.simulator.RandomTopologyGenerator main prints it). Reference: docs/SIMULATOR.md.\n"
                + SimulationSpec.toYaml(f));
    }
}
