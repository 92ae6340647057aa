package io.remoteclip.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.stream.ImageInputStream;

/** Where a tiled TIFF's tiles lie, as the JDK's TIFF plugin reads the directory (TileOffsets, TileByteCounts). */
final class TiffTiles {
  private TiffTiles() {}

  /** {offset, byte count, tile index} of every tile of the first image, in tile order. */
  static List<long[]> offsetsAndCounts(Path tiff) throws Exception {
    try (ImageInputStream in = ImageIO.createImageInputStream(tiff.toFile())) {
      ImageReader reader = ImageIO.getImageReadersByFormatName("tiff").next();
      try {
        reader.setInput(in);
        TIFFDirectory dir = TIFFDirectory.createFromMetadata(reader.getImageMetadata(0));
        long[] offsets = dir.getTIFFField(324).getAsLongs();
        long[] counts = dir.getTIFFField(325).getAsLongs();
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
          out.add(new long[] {offsets[i], counts[i], i});
        }
        return out;
      } finally {
        reader.dispose();
      }
    }
  }
}
