package io.lazykoala.datasets.petshop;

import io.lazykoala.job.features.EdgeKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PetShop's {@code graph.csv}: a square adjacency matrix with node names as the first row and column; a non-zero
 * cell (row u, column v) means u calls v (e.g. PetSite → PetSearch), which is the caller → callee direction of the
 * job's request-exchange edges.
 */
public final class PetshopGraph {
    private PetshopGraph() {}

    /** The edges, caller → callee, as "namespace/node" keys. */
    public static List<EdgeKey> read(Path file, String namespace) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty; a PetShop graph.csv is an adjacency matrix with a header row.");
        }
        List<String> header = PetshopMetrics.split(lines.get(0));
        List<EdgeKey> edges = new ArrayList<>();
        for (int l = 1; l < lines.size(); l++) {
            if (lines.get(l).isBlank()) {
                continue;
            }
            List<String> cells = PetshopMetrics.split(lines.get(l));
            if (cells.size() != header.size()) {
                throw new IllegalArgumentException(file + " line " + (l + 1) + " has " + cells.size() + " cells, not " + header.size() + ".");
            }
            for (int j = 1; j < cells.size(); j++) {
                String v = cells.get(j).trim();
                double w;
                try {
                    w = v.isEmpty() ? 0 : Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + (l + 1) + " holds '" + v + "' where 0 or 1 belongs.");
                }
                if (w != 0 && !cells.get(0).equals(header.get(j))) {
                    edges.add(new EdgeKey(namespace + "/" + cells.get(0), namespace + "/" + header.get(j)));
                }
            }
        }
        return edges;
    }
}
