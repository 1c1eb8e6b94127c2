package io.lazykoala.job.encoding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lazykoala.job.features.FeatureSet;
import io.lazykoala.telemetry.labels.FaultType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TensorExportTest {
    @Test
    void exportsASimulatedIncidentAsNpyWithSidecarAndPictures(@TempDir Path dir) throws Exception {
        Path rec = dir.resolve("shop-latency.lkr");
        Path labels = dir.resolve("shop-latency.labels.json");
        // 20 minutes; a latency fault on payment from minute 12 to 16
        long t0 = System.nanoTime();
        SimulatedRecording.write("shop", 7, 20 * 60_000L,
                List.of(SimulatedRecording.fault(FaultType.LATENCY, "shop", "payment", 12 * 60, 4 * 60, 0.8)), rec, labels);

        long t1 = System.nanoTime();
        TensorExport.Result r = TensorExport.run(rec, dir.resolve("out"), TensorExport.Options.defaults()
                .withLabels(labels).withPngs(4));

        System.out.printf("simulate %.1f s, export %.1f s (%d records)%n", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9, r.recordsRead());
        assertThat(r.recordsRejected()).isZero();
        assertThat(r.services()).isEqualTo(11);
        // 240 steps, the first 60 are the warm-up; every service is stepped every step
        long steps = 20 * 60 / 5;
        assertThat(r.images()).isBetween((steps - 60 - 2) * 11, (steps - 60 + 1) * 11);
        assertThat(r.normalImages()).isLessThan(r.images()).isGreaterThan(r.images() / 3);

        // the .npy is what numpy expects: magic, little-endian float32, C order, shape [N, 3, 8, 13]
        byte[] npy = Files.readAllBytes(r.npy());
        assertThat(new String(npy, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
        int headerLen = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String header = new String(npy, 10, headerLen, StandardCharsets.US_ASCII);
        assertThat(header).contains("'descr': '<f4'").contains("'fortran_order': False")
                .contains("'shape': (" + r.images() + ", 3, 8, 13)");
        assertThat((10 + headerLen) % 64).isZero();
        assertThat(npy.length).isEqualTo(10 + headerLen + r.images() * 312 * 4);

        JsonNode side = new ObjectMapper().readTree(r.sidecar().toFile());
        assertThat(side.get("timestamps").size()).isEqualTo((int) r.images());
        assertThat(side.get("service_index").size()).isEqualTo((int) r.images());
        assertThat(side.get("services").size()).isEqualTo(11);
        assertThat(side.at("/contract/features").get(0).asText()).isEqualTo(FeatureSet.NAMES.get(0));
        assertThat(side.at("/contract/step_s").asInt()).isEqualTo(5);
        assertThat(side.at("/contract/normalisation/kind").asText()).isEqualTo("padded-minmax");
        assertThat(side.at("/contract/normalisation/padding").asDouble()).isEqualTo(1.3);
        assertThat(side.at("/faults/0/service").asText()).isEqualTo("shop/payment");

        // the chain works end to end: payment's images in the fault lie further outside the learned range
        float[][] images = readImages(npy, 10 + headerLen, (int) r.images());
        int payment = -1;
        for (int i = 0; i < side.get("services").size(); i++) {
            if (side.get("services").get(i).asText().equals("shop/payment")) {
                payment = i;
            }
        }
        long faultStart = side.at("/faults/0/start_ms").asLong();
        long faultEnd = side.at("/faults/0/end_ms").asLong();
        double inFault = 0;
        double before = 0;
        int nIn = 0;
        int nBefore = 0;
        for (int row = 0; row < r.images(); row++) {
            if (side.get("service_index").get(row).asInt() != payment) {
                continue;
            }
            long ts = side.get("timestamps").get(row).asLong();
            double e = TensorExport.outsideEnergy(images[row]);
            if (ts > faultStart + 30_000 && ts <= faultEnd) {
                inFault += e;
                nIn++;
            } else if (ts <= faultStart) {
                before += e;
                nBefore++;
            }
        }
        assertThat(nIn).isPositive();
        assertThat(nBefore).isPositive();
        System.out.printf("payment outside-energy per image: before %.3f, in fault %.3f%n", before / nBefore, inFault / nIn);
        assertThat(inFault / nIn).isGreaterThan(5 * (before / nBefore) + 1);

        assertThat(r.pngs()).hasSize(4);
        for (Path png : r.pngs()) {
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img.getWidth()).isGreaterThan(300);
        }
        assertThat(r.pngs()).anyMatch(p -> p.getFileName().toString().startsWith("shop_payment"));
    }

    static float[][] readImages(byte[] npy, int offset, int n) {
        ByteBuffer b = ByteBuffer.wrap(npy, offset, npy.length - offset).order(ByteOrder.LITTLE_ENDIAN);
        float[][] out = new float[n][312];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 312; j++) {
                out[i][j] = b.getFloat();
            }
        }
        return out;
    }
}
