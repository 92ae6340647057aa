package io.remoteclip.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.ProgressListener;
import io.remoteclip.hub.ModelResolver;
import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.ImageDecoder;
import io.remoteclip.image.ImageSource;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming seam on the bundled remoteclip-mini model (no ../shared needed). */
class ClipEncoderStreamTest {
  @TempDir static Path dir;
  private static ClipEncoder encoder;
  private static List<Path> files;

  @BeforeAll
  static void open() throws Exception {
    Path weights = Path.of("..", "models", "remoteclip-mini", "model.safetensors").toAbsolutePath().normalize();
    var resolved = ModelResolver.fromEnvironment().resolve(weights.toString(), weights.resolveSibling("vocab.txt.gz"),
        ProgressListener.NONE);
    encoder = ClipEncoder.open(resolved, ClipEncoder.Options.defaults().withBatchSize(3).withDecodeThreads(3),
        ProgressListener.NONE);
    files = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      BufferedImage im = new BufferedImage(40 + i, 50, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 50; y++) {
        for (int x = 0; x < im.getWidth(); x++) {
          im.setRGB(x, y, (x * 5 + i * 20) << 16 | (y * 4) << 8 | (i * 30));
        }
      }
      Path p = dir.resolve("im" + i + ".png");
      ImageIO.write(im, "png", p.toFile());
      files.add(p);
    }
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  @Test
  void filesBytesAndRastersGiveTheSameRowsInInputOrderWithFailuresReported() throws Exception {
    float[][] expected = encoder.encodeImageFiles(files, true, ProgressListener.NONE).embeddings();
    List<ImageSource> sources = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Path p = files.get(i);
      sources.add(switch (i % 3) {
        case 0 -> ImageSource.of(p);
        case 1 -> ImageSource.of("bytes:" + p.getFileName(), Files.readAllBytes(p));
        default -> ImageSource.of("raster:" + p.getFileName(), ImageDecoder.decode(p));
      });
      if (i == 4) {
        sources.add(ImageSource.of("broken.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}));
      }
    }
    List<EmbeddingBatch.Row<ImageSource>> rows = new ArrayList<>();
    List<EmbeddingBatch.Failure<ImageSource>> failures = new ArrayList<>();
    List<Integer> batchSizes = new ArrayList<>();
    encoder.embed(sources.iterator(), b -> {
      rows.addAll(b.rows());
      failures.addAll(b.failures());
      batchSizes.add(b.rows().size() + b.failures().size());
    });
    assertEquals(List.of(3, 3, 3), batchSizes);
    assertEquals(8, rows.size());
    assertEquals(1, failures.size());
    assertEquals(5, failures.get(0).index());
    assertTrue(failures.get(0).message().startsWith("broken.jpg: corrupt JPEG"), failures.get(0).message());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(i < 5 ? i : i + 1, rows.get(i).index());
      assertEquals(40 + i, rows.get(i).width());
      assertArrayEquals(expected[i], rows.get(i).embedding(), 1e-6f, "row " + i);
    }
  }

  @Test
  void theIdNamesEverythingThatChangesRows() {
    EncoderId id = encoder.encoderId();
    assertEquals(id.toString(), encoder.modelId());
    assertTrue(id.weights().contains("remoteclip-mini/model.safetensors@"), id.weights());
    assertTrue(id.vocab().startsWith("sha256:"), id.vocab());
    assertEquals("none", id.bands());
  }
}
