package io.lazykoala.evaluation;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A PNG of the per-case results: on top the rank of the true cause (a missing cause is drawn as rank 11, past the
 * ranking), below the detection delay (never-detected cases drawn at the longest window in red).
 */
public final class EvaluationChart {
    private EvaluationChart() {}

    private static BarRenderer flat() {
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        return r;
    }

    public static void write(EvaluationResult r, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset ranks = new DefaultCategoryDataset();
        DefaultCategoryDataset delays = new DefaultCategoryDataset();
        int i = 0;
        double maxDelay = 1;
        for (CaseResult c : r.cases()) {
            if (c.detectionDelayMs() != null) {
                maxDelay = Math.max(maxDelay, c.detectionDelayMs() / 1000.0);
            }
        }
        for (CaseResult c : r.cases()) {
            String label = String.format("%02d %s %s", ++i, c.incident().faultType().id(), c.incident().targetService());
            ranks.addValue(c.rank() == 0 ? 11 : c.rank(), c.rank() == 0 ? "missed" : "rank", label);
            if (c.detectionDelayMs() == null) {
                delays.addValue(maxDelay, "never detected", label);
            } else {
                delays.addValue(c.detectionDelayMs() / 1000.0, "detection delay", label);
            }
        }
        CategoryAxis domain = new CategoryAxis("case");
        domain.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(domain);
        NumberAxis rankAxis = new NumberAxis("rank of the true cause (11 = missed)");
        rankAxis.setRange(0, 11.5);
        BarRenderer rr = flat();
        rr.setSeriesPaint(0, new Color(0x3b7dd8));
        rr.setSeriesPaint(1, new Color(0xd83b3b));
        CategoryPlot top = new CategoryPlot(ranks, null, rankAxis, rr);
        BarRenderer dr = flat();
        dr.setSeriesPaint(0, new Color(0x3bb36b));
        dr.setSeriesPaint(1, new Color(0xd83b3b));
        CategoryPlot bottom = new CategoryPlot(delays, null, new NumberAxis("detection delay (s)"), dr);
        plot.add(top, 1);
        plot.add(bottom, 1);
        JFreeChart chart = new JFreeChart(String.format("AC@1 %.2f  AC@3 %.2f  Avg@5 %.2f  (%d cases; %s)", r.ac1(), r.ac3(), r.avg5(),
                r.cases().size(), r.scorer().length() > 60 ? r.scorer().substring(0, 60) + "…" : r.scorer()),
                JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        int width = Math.max(900, 22 * r.cases().size() + 200);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, width, 800);
    }
}
