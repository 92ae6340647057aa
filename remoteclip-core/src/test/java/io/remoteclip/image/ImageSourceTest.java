package io.remoteclip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding from bytes, streams and rasters equals decoding the file; huge images are refused from the header. */
class ImageSourceTest {
  @TempDir Path dir;

  /** A 61x47 image whose every pixel differs, written by the JDK in {@code format}. */
  private Path write(String format, int type) throws Exception {
    BufferedImage im = new BufferedImage(61, 47, type);
    for (int y = 0; y < 47; y++) {
      for (int x = 0; x < 61; x++) {
        im.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | ((x * y) & 0xff));
      }
    }
    Path p = dir.resolve("im." + format);
    assertTrue(ImageIO.write(im, format, p.toFile()));
    return p;
  }

  @Test
  void bytesStreamsAndFilesDecodeAlike() throws Exception {
    for (Path p : new Path[] {write("png", BufferedImage.TYPE_INT_RGB), write("jpg", BufferedImage.TYPE_INT_RGB),
        write("bmp", BufferedImage.TYPE_INT_RGB), write("tiff", BufferedImage.TYPE_INT_RGB),
        write("png", BufferedImage.TYPE_BYTE_GRAY)}) {
      DecodedImage fromFile = ImageDecoder.decode(p);
      byte[] bytes = Files.readAllBytes(p);
      assertEquals(fromFile, ImageDecoder.decode(ImageSource.of("upload", bytes), null), p.toString());
      assertEquals(fromFile, ImageDecoder.decode(ImageSource.of("zip entry", new ByteArrayInputStream(bytes)), null));
      assertArrayEquals(new int[] {61, 47}, ImageDecoder.size(ImageSource.of("upload", bytes)));
    }
  }

  @Test
  void aRasterIsItsOwnDecoding() throws Exception {
    DecodedImage window = ImageDecoder.decode(write("png", BufferedImage.TYPE_INT_RGB)).crop(3, 4, 20, 10);
    assertSame(window, ImageDecoder.decode(ImageSource.of("scene@3,4", window), null));
    assertArrayEquals(new int[] {20, 10}, ImageDecoder.size(ImageSource.of("scene@3,4", window)));
  }

  @Test
  void messagesNameTheSource() throws Exception {
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> ImageDecoder.decode(ImageSource.of("upload.jpg", "hello".getBytes(StandardCharsets.UTF_8)), null));
    assertEquals("upload.jpg: " + ImageDecoder.UNSUPPORTED, e.getMessage());
    byte[] png = Files.readAllBytes(write("png", BufferedImage.TYPE_INT_RGB));
    byte[] cut = java.util.Arrays.copyOf(png, 60);
    e = assertThrows(DataFormatException.class, () -> ImageDecoder.decode(ImageSource.of("part.png", cut), null));
    assertTrue(e.getMessage().startsWith("part.png: corrupt PNG"), e.getMessage());
  }

  @Test
  void reducedDecodingKeepsTheShorterSideAboveTheMinimum() throws Exception {
    Path p = write("png", BufferedImage.TYPE_INT_RGB);
    DecodedImage full = ImageDecoder.decode(p);
    DecodedImage small = ImageDecoder.decodeReduced(ImageSource.of(p), null, 20);
    // step = floor(47 / 20) = 2: every second pixel in both axes
    assertEquals(31, small.width());
    assertEquals(24, small.height());
    assertEquals(full.bytes()[3 * (2 * 61 + 2) + 1], small.bytes()[3 * (31 + 1) + 1]);
  }

  /** PNG signature and an IHDR chunk claiming {@code w x h} RGB, then an empty IDAT and IEND: no pixels at all. */
  static byte[] pngHeader(int w, int h) throws Exception {
    return PngFixtures.header(w, h);
  }

  @Test
  void hugeImageIsRefusedAsTooLargeNotCorrupt() throws Exception {
    Path huge = dir.resolve("huge.png");
    Files.write(huge, pngHeader(30000, 30000));
    ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> ImageDecoder.decode(huge));
    assertEquals(huge + ": image is too large: 30000x30000 = 900,000,000 pixels, the limit is 178,956,970 pixels",
        e.getMessage());
    assertEquals(30000, e.width());
    assertEquals(ImageDecoder.MAX_PIXELS, e.limit());
    // The same from bytes; the header alone gives the size.
    assertThrows(ImageTooLargeException.class, () -> ImageDecoder.decode(ImageSource.of("huge", pngHeader(30000, 30000)), null));
    assertArrayEquals(new int[] {30000, 30000}, ImageDecoder.size(ImageSource.of("huge", pngHeader(30000, 30000))));
  }
}
