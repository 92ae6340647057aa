package io.remoteclip.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import io.remoteclip.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files of every supported kind, damaged files, and multi-band rasters. */
class ImageDecoderTest {
  @TempDir Path dir;

  @Test
  void ucmTiffsWithPhotoshopXmpExifTagsDecodeAsRgb() throws Exception {
    Path tif = Fixtures.require("data/samples/ucm-tif/sparseresidential45.tif");
    DecodedImage im = ImageDecoder.decode(tif);
    assertEquals(ImageMode.RGB, im.mode());
    assertEquals(242, im.width());
    assertEquals(256, im.height());
    // The UCM-captions JPEG 1846.jpg is this TIFF re-encoded at quality 85: close, but not equal.
    DecodedImage jpg = ImageDecoder.decode(Fixtures.require("data/ucm-captions/images/1846.jpg"));
    double sum = 0;
    for (int i = 0; i < im.bytes().length; i++) {
      sum += Math.abs((im.bytes()[i] & 0xFF) - (jpg.bytes()[i] & 0xFF));
    }
    double mean = sum / im.bytes().length;
    assertTrue(mean > 0.1 && mean < 8, "mean abs difference TIFF vs JPEG: " + mean);
  }

  @Test
  void truncatedJpegIsCorrupt() throws Exception {
    byte[] full = Files.readAllBytes(Fixtures.require("golden/preprocess/nwpu_505.jpg"));
    Path cut = dir.resolve("cut.jpg");
    Files.write(cut, Arrays.copyOf(full, full.length / 3));
    DataFormatException e = assertThrows(DataFormatException.class, () -> ImageDecoder.decode(cut));
    assertEquals(cut + ": corrupt JPEG: truncated (premature end of data)", e.getMessage());
  }

  @Test
  void jpegCutInsideTheHeaderIsCorrupt() throws Exception {
    byte[] full = Files.readAllBytes(Fixtures.require("golden/preprocess/nwpu_505.jpg"));
    Path cut = dir.resolve("header.jpg");
    Files.write(cut, Arrays.copyOf(full, 40));
    DataFormatException e = assertThrows(DataFormatException.class, () -> ImageDecoder.decode(cut));
    assertTrue(e.getMessage().startsWith(cut + ": corrupt JPEG: "), e.getMessage());
  }

  @Test
  void textFileNamedJpgIsNotAnImage() throws Exception {
    Path fake = dir.resolve("notes.jpg");
    Files.writeString(fake, "this is not a picture\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> ImageDecoder.decode(fake));
    assertEquals(fake + ": not a supported image (JPEG, PNG, TIFF, BMP)", e.getMessage());
  }

  @Test
  void emptyFileIsNotAnImage() throws Exception {
    Path empty = dir.resolve("empty.png");
    Files.write(empty, new byte[0]);
    DataFormatException e = assertThrows(DataFormatException.class, () -> ImageDecoder.decode(empty));
    assertEquals(empty + ": empty file, not a supported image (JPEG, PNG, TIFF, BMP)", e.getMessage());
  }

  @Test
  void missingFileIsNoSuchFile() {
    assertThrows(NoSuchFileException.class, () -> ImageDecoder.decode(dir.resolve("absent.jpg")));
  }

  @Test
  void multiBandTiffNeedsABandSelection() throws Exception {
    int w = 7;
    int h = 5;
    int bands = 5;
    short[] samples = new short[w * h * bands];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) (i * 97 % 4001); // 0..4000, like 12-bit reflectances
    }
    Path tif = dir.resolve("ms.tif");
    Files.write(tif, tiff16(w, h, bands, samples));

    DataFormatException e = assertThrows(DataFormatException.class, () -> ImageDecoder.decode(tif));
    assertTrue(e.getMessage().startsWith(tif + ": a TIFF with 5 band(s) of 16-bit samples has no RGB equivalent"),
        e.getMessage());
    assertTrue(e.getMessage().contains("R,G,B:MIN:MAX"), e.getMessage());

    DecodedImage rgb = ImageDecoder.decode(tif, BandSelection.parse("3,2,1:0:4000"));
    assertEquals(ImageMode.RGB, rgb.mode());
    for (int p = 0; p < w * h; p++) {
      int[] pick = {3, 2, 1};
      for (int c = 0; c < 3; c++) {
        int v = samples[p * bands + pick[c]];
        assertEquals((int) Math.rint(255.0 * v / 4000), rgb.bytes()[p * 3 + c] & 0xFF, "pixel " + p + " channel " + c);
      }
    }
    DataFormatException tooHigh = assertThrows(DataFormatException.class,
        () -> ImageDecoder.decode(tif, BandSelection.of(5, 1, 0, 0, 4000)));
    assertEquals(tif + ": band 5 requested but the image has 5 band(s) (0..4)", tooHigh.getMessage());
  }

  /** A band selection is applied to JPEG and PNG too (as the encoder identity that records it says), or refused. */
  @Test
  void bandSelectionAppliesToJpegAndPngAlike() throws Exception {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(32, 24, java.awt.image.BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 32; x++) {
        img.setRGB(x, y, (x * 8) << 16 | (y * 10) << 8 | 200);
      }
    }
    BandSelection swap = BandSelection.parse("2,1,0:0:255");
    for (String format : new String[] {"jpg", "png"}) {
      Path f = dir.resolve("rgb." + format);
      javax.imageio.ImageIO.write(img, format.equals("jpg") ? "jpeg" : "png", f.toFile());
      DecodedImage plain = ImageDecoder.decode(f);
      DecodedImage swapped = ImageDecoder.decode(f, swap);
      assertEquals(ImageMode.RGB, swapped.mode(), format);
      for (int i = 0; i < plain.bytes().length; i += 3) {
        assertEquals(plain.bytes()[i + 2], swapped.bytes()[i], format + " sample " + i);
        assertEquals(plain.bytes()[i + 1], swapped.bytes()[i + 1], format + " sample " + i);
        assertEquals(plain.bytes()[i], swapped.bytes()[i + 2], format + " sample " + i);
      }
      DataFormatException missing = assertThrows(DataFormatException.class,
          () -> ImageDecoder.decode(f, BandSelection.of(5, 1, 0, 0, 255)), format);
      assertEquals(f + ": band 5 requested but the image has 3 band(s) (0..2)", missing.getMessage());
    }
  }

  @Test
  void bandSelectionTextForm() {
    BandSelection s = BandSelection.parse("2,1,0:0:3000,10:2800,0:2500.5");
    assertEquals(2, s.bands()[0]);
    assertEquals(10, s.min()[1]);
    assertEquals(2500.5, s.max()[2]);
    assertThrows(IllegalArgumentException.class, () -> BandSelection.parse("2,1:0:3000"));
    assertThrows(IllegalArgumentException.class, () -> BandSelection.parse("2,1,0"));
    assertThrows(IllegalArgumentException.class, () -> BandSelection.parse("0,1,2:-Infinity:0"));
    assertThrows(IllegalArgumentException.class, () -> BandSelection.parse("0,1,2:0:NaN"));
    assertThrows(IllegalArgumentException.class, () -> BandSelection.parse("2,1,0:5:5"));
  }

  /** A minimal little-endian, uncompressed, chunky TIFF of 16-bit samples (first band gray, others extra). */
  private static byte[] tiff16(int w, int h, int bands, short[] samples) {
    int dataLen = samples.length * 2;
    int bpsOffset = 8;
    int dataOffset = bpsOffset + bands * 2 + 8;
    int extraOffset = dataOffset + dataLen;
    int ifdOffset = extraOffset + (bands - 1) * 2 + 2;
    int[][] tags = {
      {256, 3, 1, w}, {257, 3, 1, h}, {258, 3, bands, bpsOffset}, {259, 3, 1, 1}, {262, 3, 1, 1},
      {273, 4, 1, dataOffset}, {277, 3, 1, bands}, {278, 3, 1, h}, {279, 4, 1, dataLen}, {284, 3, 1, 1},
      {338, 3, bands - 1, extraOffset},
    };
    ByteBuffer b = ByteBuffer.allocate(ifdOffset + 2 + tags.length * 12 + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifdOffset);
    b.position(bpsOffset);
    for (int i = 0; i < bands; i++) {
      b.putShort((short) 16);
    }
    b.position(dataOffset);
    for (short s : samples) {
      b.putShort(s);
    }
    b.position(extraOffset);
    for (int i = 0; i < bands - 1; i++) {
      b.putShort((short) 0);
    }
    b.position(ifdOffset);
    b.putShort((short) tags.length);
    for (int[] t : tags) {
      b.putShort((short) t[0]).putShort((short) t[1]).putInt(t[2]);
      boolean inline = t[1] == 3 && t[2] == 1;
      if (inline) {
        b.putShort((short) t[3]).putShort((short) 0);
      } else {
        b.putInt(t[3]);
      }
    }
    b.putInt(0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(b.array());
    return out.toByteArray();
  }
}
