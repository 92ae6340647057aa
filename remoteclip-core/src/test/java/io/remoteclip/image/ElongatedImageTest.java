package io.remoteclip.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.testing.StripImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strips whose resize for a model would overflow or exhaust the heap are refused from their header. */
class ElongatedImageTest {
  @TempDir Path tmp;

  @Test
  void a100000x1StripIsRefusedFromItsHeaderNamingTheFile() throws Exception {
    Path strip = Files.write(tmp.resolve("strip.png"), StripImages.png(100_000, 1));
    assertTrue(Files.size(strip) < 1000, "a few hundred bytes: " + Files.size(strip));
    ImageTooElongatedException e = assertThrows(ImageTooElongatedException.class, () -> ImageDecoder.decode(strip));
    assertEquals(strip + ": image is too elongated: 100000x1, its longer side is 100,000 times its shorter, the limit is 100",
        e.getMessage());
    assertEquals(ImageDecoder.MAX_ASPECT_RATIO, e.limit());
    ImageTooElongatedException tall = assertThrows(ImageTooElongatedException.class,
        () -> ImageDecoder.decode(ImageSource.of("upload", StripImages.png(2, 40_000)), null));
    assertTrue(tall.getMessage().startsWith("upload: image is too elongated: 2x40000, its longer side is 20,000 times"),
        tall.getMessage());
  }

  @Test
  void theRatioLimitIsInclusiveAndTheAcceptedExtremeResizesToABoundedImage() throws Exception {
    DecodedImage edge = ImageDecoder.decode(ImageSource.of("edge", StripImages.png(1000, 10)), null);
    EvalTransform eval = new EvalTransform(PreprocessConfig.openAi(224));
    assertEquals(3 * 224 * 224, eval.apply(edge).length);
    ImageTooElongatedException e = assertThrows(ImageTooElongatedException.class,
        () -> ImageDecoder.decode(ImageSource.of("over", StripImages.png(1010, 10)), null));
    assertTrue(e.getMessage().contains("101 times"), e.getMessage());
    assertThrows(ImageTooElongatedException.class,
        () -> ImageDecoder.decodeReduced(ImageSource.of("over", StripImages.png(1010, 10)), null, 64));
  }

  @Test
  void resizingARasterBeyondOneArrayIsRefusedWithAMessageNotANegativeSize() {
    // Rasters (windows of scenes) do not pass the decoder's header checks; the resize names the shapes instead.
    DecodedImage raster = DecodedImage.of8Bit(ImageMode.RGB, 100_000, 1, new byte[3 * 100_000]);
    int[] size = EvalTransform.resizedSize(raster.width(), raster.height(), 224);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PilResize.resize(raster, size[0], size[1], Resample.BICUBIC));
    assertTrue(e.getMessage().startsWith("cannot resize 100000x1 to 22400000x224"), e.getMessage());
  }
}
