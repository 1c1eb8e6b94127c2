package io.lazykoala.job.encoding;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ImagePngTest {
    @Test
    void rendersThreePanelsWithAnomaliesInRed() throws Exception {
        float[] image = new float[ImageContract.IMAGE_SIZE];
        java.util.Arrays.fill(image, 0.5f);
        image[ImageContract.index(0, 0, 3)] = 3f;  // short window, now, duration_mean: far above normal
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ImagePng.write(image, ImageContract.DEFAULT, "shop/payment", bos);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(bos.toByteArray()));
        assertThat(back).isNotNull();
        assertThat(back.getWidth()).isGreaterThan(3 * 13 * 20);
        // colour semantics: normal grey, above the range red, below blue
        assertThat(ImagePng.color(0.5f, -3, 3)).matches(c -> c.getRed() == c.getGreen() && c.getGreen() == c.getBlue());
        Color hot = ImagePng.color(3f, -3, 3);
        assertThat(hot.getRed()).isEqualTo(255);
        assertThat(hot.getGreen()).isZero();
        Color cold = ImagePng.color(-3f, -3, 3);
        assertThat(cold.getBlue()).isEqualTo(255);
        assertThat(cold.getRed()).isZero();
        // the hot pixel is drawn: find a pure red cell in the first panel's top row
        boolean red = false;
        for (int x = 0; x < back.getWidth() / 3 && !red; x++) {
            for (int y = 0; y < back.getHeight() / 2 && !red; y++) {
                red = back.getRGB(x, y) == hot.getRGB();
            }
        }
        assertThat(red).isTrue();
    }
}
