package io.lazykoala.job.encoding;

import io.lazykoala.job.features.FeatureSet;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renders a service image for people: three panels (short, medium, long window), rows = look-back offsets,
 * columns = features with their names. Inside the learned range [0, 1] is a grey ramp; above it reds, below it
 * blues, saturating at the clip, so "normal" reads as grey and an anomaly jumps out.
 */
public final class ImagePng {
    private static final int CELL = 26;
    private static final int LEFT = 62;
    private static final int TOP = 46;
    private static final int LABELS = 86;
    private static final int GAP = 18;
    private static final int LEGEND = 40;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private ImagePng() {}

    /** Draws {@code image} ([3][8][13], C order). {@code title} goes on top (service and time, say). */
    public static BufferedImage render(float[] image, ImageContract contract, String title) {
        if (image.length != ImageContract.IMAGE_SIZE) {
            throw new IllegalArgumentException("expected " + ImageContract.IMAGE_SIZE + " values, got " + image.length);
        }
        int panelW = FeatureSet.COUNT * CELL;
        int panelH = ImageContract.ROWS * CELL;
        int width = LEFT + 3 * panelW + 2 * GAP + 20;
        int height = TOP + panelH + LABELS + LEGEND;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title == null ? "" : title, LEFT, 18);
            Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
            g.setFont(small);
            double lo = contract.normalisation().clipMin();
            double hi = contract.normalisation().clipMax();
            for (int c = 0; c < ImageContract.CHANNELS; c++) {
                int x0 = LEFT + c * (panelW + GAP);
                g.setColor(Color.BLACK);
                g.drawString(ImageContract.CHANNEL_NAMES.get(c) + " window " + contract.channelWindowsS()[c] + " s",
                        x0, TOP - 8);
                for (int r = 0; r < ImageContract.ROWS; r++) {
                    for (int f = 0; f < FeatureSet.COUNT; f++) {
                        float v = image[ImageContract.index(c, r, f)];
                        g.setColor(color(v, lo, hi));
                        g.fillRect(x0 + f * CELL, TOP + r * CELL, CELL, CELL);
                    }
                }
                g.setColor(Color.DARK_GRAY);
                g.setStroke(new BasicStroke(1f));
                g.drawRect(x0, TOP, panelW, panelH);
                // feature names under each panel, rotated
                AffineTransform saved = g.getTransform();
                for (int f = 0; f < FeatureSet.COUNT; f++) {
                    g.setTransform(saved);
                    g.translate(x0 + f * CELL + CELL / 2 + 4, TOP + panelH + 4);
                    g.rotate(Math.PI / 2);
                    g.setColor(Color.BLACK);
                    g.drawString(FeatureSet.SHORT_NAMES.get(f), 0, 0);
                }
                g.setTransform(saved);
            }
            FontMetrics fm = g.getFontMetrics();
            g.setColor(Color.BLACK);
            for (int r = 0; r < ImageContract.ROWS; r++) {
                String label = "-" + contract.offset(r) * contract.stepS() + " s";
                g.drawString(label, LEFT - 6 - fm.stringWidth(label), TOP + r * CELL + CELL / 2 + 4);
            }
            drawLegend(g, LEFT, TOP + panelH + LABELS, lo, hi);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void drawLegend(Graphics2D g, int x, int y, double lo, double hi) {
        int w = 300;
        for (int i = 0; i < w; i++) {
            double v = lo + (hi - lo) * i / (w - 1);
            g.setColor(color((float) v, lo, hi));
            g.fillRect(x + i, y, 1, 12);
        }
        g.setColor(Color.BLACK);
        g.drawString(String.format("%.0f", lo), x, y + 26);
        int zero = (int) Math.round((0 - lo) / (hi - lo) * (w - 1));
        int one = (int) Math.round((1 - lo) / (hi - lo) * (w - 1));
        g.drawString("0", x + zero - 3, y + 26);
        g.drawString("1", x + one - 3, y + 26);
        g.drawString(String.format("%.0f", hi), x + w - 8, y + 26);
        g.drawString("learned normal range = 0..1 (grey); above: red, below: blue", x + w + 16, y + 11);
    }

    /** Grey ramp inside [0, 1]; red beyond 1 and blue below 0, saturating at the clip values. */
    static Color color(float v, double lo, double hi) {
        if (Float.isNaN(v)) {
            return Color.MAGENTA;
        }
        if (v >= 0 && v <= 1) {
            int grey = (int) Math.round(235 - 150 * v);
            return new Color(grey, grey, grey);
        }
        if (v > 1) {
            double t = Math.min(1, (v - 1) / Math.max(1e-9, hi - 1));
            return new Color(255, (int) Math.round(170 * (1 - t)), (int) Math.round(120 * (1 - t)));
        }
        double t = Math.min(1, -v / Math.max(1e-9, -lo));
        return new Color((int) Math.round(150 * (1 - t)), (int) Math.round(190 * (1 - t)), 255);
    }

    public static void write(float[] image, ImageContract contract, String title, Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            write(image, contract, title, os);
        }
    }

    public static void write(float[] image, ImageContract contract, String title, OutputStream os) throws IOException {
        if (!ImageIO.write(render(image, contract, title), "png", os)) {
            throw new IOException("no PNG writer in this Java runtime");
        }
    }
}
