package io.remoteclip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.cli.eval.CliRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index holds one encoder: re-indexing with another band selection is refused in one line naming both
 * encoder identities; search re-uses the index's bands. Runs on the bundled remoteclip-mini and images written here.
 */
class IndexEncoderIdentityTest {
  @TempDir Path tmp;
  private String out;
  private String err;

  private int run(String... args) {
    CliRun r = CliRun.of(args);
    out = r.out();
    err = r.err();
    return r.code();
  }

  @Test
  void reindexingWithOtherBandsIsRefusedNamingBothIdentities() throws Exception {
    Path weights = Path.of("..", "models", "remoteclip-mini", "model.safetensors").toAbsolutePath().normalize();
    Path images = Files.createDirectories(tmp.resolve("images"));
    for (int i = 0; i < 3; i++) {
      BufferedImage im = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 48; y++) {
        for (int x = 0; x < 48; x++) {
          im.setRGB(x, y, (x * 5) << 16 | (y * 5 + i * 40) << 8 | (i * 70));
        }
      }
      ImageIO.write(im, "png", images.resolve(i + ".png").toFile());
    }
    Path index = tmp.resolve("idx");
    assertEquals(0, run("index", images.toString(), "--index", index.toString(), "--model", weights.toString(), "--vocab", weights.resolveSibling("vocab.txt.gz").toString(),
        "--bands", "2,1,0:0:255"), err);
    assertTrue(out.contains("3 added"), out);

    assertEquals(65, run("index", images.toString(), "--index", index.toString(), "--bands", "0,1,2:0:255"));
    String line = err.strip();
    assertEquals(1, line.lines().count(), err);
    assertTrue(line.contains("index was built with encoder ") && line.contains("|bands=2,1,0:0.0:255.0,")
        && line.contains("this run uses ") && line.contains("|bands=0,1,2:0.0:255.0,"), line);
    assertTrue(line.contains("(bands 2,1,0:0.0:255.0,0.0:255.0,0.0:255.0 vs 0,1,2:0.0:255.0,0.0:255.0,0.0:255.0)"), line);

    // Without --bands the index's own selection is used: nothing to do, and search works.
    assertEquals(0, run("index", images.toString(), "--index", index.toString()), err);
    assertTrue(out.contains("3 unchanged"), out);
    assertEquals(0, run("search", "--index", index.toString(), "--image", images.resolve("1.png").toString(), "-k", "1"), err);
    assertTrue(out.contains("1.png"), out);
  }
}
