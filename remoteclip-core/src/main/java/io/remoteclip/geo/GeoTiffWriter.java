package io.remoteclip.geo;

import io.remoteclip.fs.AtomicFiles;
import java.awt.geom.AffineTransform;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes (classic, not Big) GeoTIFFs through the JDK's own TIFF plugin, adding the GeoTIFF tags by hand:
 * ModelPixelScale (33550) + ModelTiepoint (33922) for a north-up grid, ModelTransformation (34264) when the
 * grid is rotated or sheared, and a GeoKeyDirectory (34735) naming the CRS by EPSG code. Any sample type the
 * plugin writes (8/16-bit, float), tiled or striped, any of its compressions, and reduced-resolution
 * overviews (NewSubfileType 1) after the full image, as a Cloud-Optimised GeoTIFF orders them.
 * The file appears atomically (temporary file, then rename). Bands beyond the colour space's (several
 * float score bands on a gray colour model) are declared as ExtraSamples, as readers expect.
 */
public final class GeoTiffWriter {
  static final int TAG_PIXEL_SCALE = 33550;
  static final int TAG_TIEPOINT = 33922;
  static final int TAG_TRANSFORMATION = 34264;
  static final int TAG_GEOKEYS = 34735;
  static final int KEY_MODEL_TYPE = 1024;
  static final int KEY_RASTER_TYPE = 1025;
  static final int KEY_GEOGRAPHIC_TYPE = 2048;
  static final int KEY_PROJECTED_TYPE = 3072;
  private static final int MODEL_PROJECTED = 1;
  private static final int MODEL_GEOGRAPHIC = 2;

  /**
   * What goes into the file.
   *
   * @param compression a JDK TIFF compression type ("LZW", "Deflate", "PackBits", "JPEG"), null for none
   * @param tileSize square tiles of this size (a multiple of 16), 0 for strips
   * @param rowsPerStrip strip height when not tiled, 0 for the plugin's choice
   * @param pixelIsPoint write RasterPixelIsPoint (the tie point names a pixel centre) instead of PixelIsArea
   */
  public record Options(String compression, int tileSize, int rowsPerStrip, boolean pixelIsPoint) {
    public static Options striped() {
      return new Options(null, 0, 0, false);
    }

    public static Options tiled(int size, String compression) {
      return new Options(compression, size, 0, false);
    }

    public Options withPixelIsPoint() {
      return new Options(compression, tileSize, rowsPerStrip, true);
    }

    public Options withRowsPerStrip(int rows) {
      return new Options(compression, tileSize, rows, pixelIsPoint);
    }
  }

  /**
   * The georeferencing to write.
   *
   * @param gridToCrs pixel corner (column, row) to CRS (x = easting or longitude, y = northing or latitude)
   * @param epsg the CRS's EPSG code, 0 for none (the grid is still written, without GeoKeys)
   * @param geographic whether {@code epsg} names a geographic CRS (else projected)
   */
  public record Tags(AffineTransform gridToCrs, int epsg, boolean geographic) {}

  private GeoTiffWriter() {}

  /** Writes {@code image}, then each overview, to {@code file}; {@code tags} may be null (a plain TIFF). */
  public static void write(Path file, RenderedImage image, List<RenderedImage> overviews, Tags tags, Options options)
      throws IOException {
    AtomicFiles.write(file, stream -> {
      ImageWriter writer = jdkTiffWriter();
      try (ImageOutputStream out = io.remoteclip.image.BufferedImages.imageStream(stream)) {
        writer.setOutput(out);
        ImageWriteParam param = param(writer, options);
        writer.prepareWriteSequence(null);
        writer.writeToSequence(new IIOImage(image, null, metadata(writer, image, param, tags, options, false)), param);
        for (RenderedImage overview : overviews) {
          writer.writeToSequence(new IIOImage(overview, null, metadata(writer, overview, param, null, options, true)), param);
        }
        writer.endWriteSequence();
      } finally {
        writer.dispose();
      }
    });
  }

  private static ImageWriteParam param(ImageWriter writer, Options options) {
    ImageWriteParam param = writer.getDefaultWriteParam();
    if (options.compression() != null) {
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionType(options.compression());
      if (options.compression().equals("JPEG")) {
        param.setCompressionQuality(0.9f);
      }
    } else {
      param.setCompressionMode(ImageWriteParam.MODE_DISABLED);
    }
    if (options.tileSize() > 0) {
      param.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
      param.setTiling(options.tileSize(), options.tileSize(), 0, 0);
    }
    return param;
  }

  private static IIOMetadata metadata(ImageWriter writer, RenderedImage image, ImageWriteParam param, Tags tags,
      Options options, boolean reduced) throws IOException {
    IIOMetadata md = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
    TIFFDirectory dir;
    try {
      dir = TIFFDirectory.createFromMetadata(md);
    } catch (javax.imageio.metadata.IIOInvalidTreeException e) {
      throw new IOException("cannot build TIFF metadata: " + e.getMessage(), e);
    }
    BaselineTIFFTagSet base = BaselineTIFFTagSet.getInstance();
    if (reduced) {
      dir.addTIFFField(new TIFFField(base.getTag(BaselineTIFFTagSet.TAG_NEW_SUBFILE_TYPE), TIFFTag.TIFF_LONG, 1,
          new long[] {BaselineTIFFTagSet.NEW_SUBFILE_TYPE_REDUCED_RESOLUTION}));
    }
    if (options.tileSize() == 0 && options.rowsPerStrip() > 0) {
      dir.addTIFFField(new TIFFField(base.getTag(BaselineTIFFTagSet.TAG_ROWS_PER_STRIP), TIFFTag.TIFF_LONG, 1,
          new long[] {options.rowsPerStrip()}));
    }
    int extra = image.getSampleModel().getNumBands() - image.getColorModel().getColorSpace().getNumComponents();
    if (image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
        && image.getSampleModel().getNumBands() > 1) {
      extra = image.getSampleModel().getNumBands() - 1;
    }
    if (extra > 0 && !image.getColorModel().hasAlpha()) {
      dir.addTIFFField(new TIFFField(base.getTag(BaselineTIFFTagSet.TAG_EXTRA_SAMPLES), TIFFTag.TIFF_SHORT, extra,
          new char[extra]));
    }
    if (tags != null) {
      addGeoTags(dir, tags, options.pixelIsPoint());
    }
    return dir.getAsMetadata();
  }

  private static void addGeoTags(TIFFDirectory dir, Tags tags, boolean pixelIsPoint) {
    AffineTransform t = new AffineTransform(tags.gridToCrs());
    if (pixelIsPoint) {
      // The tie point then names the centre of pixel (0, 0): the same grid, moved by half a pixel.
      t.translate(0.5, 0.5);
    }
    boolean northUp = t.getShearX() == 0 && t.getShearY() == 0 && t.getScaleX() > 0 && t.getScaleY() < 0;
    if (northUp) {
      dir.addTIFFField(doubles("ModelPixelScaleTag", TAG_PIXEL_SCALE, t.getScaleX(), -t.getScaleY(), 0));
      dir.addTIFFField(doubles("ModelTiepointTag", TAG_TIEPOINT, 0, 0, 0, t.getTranslateX(), t.getTranslateY(), 0));
    } else {
      dir.addTIFFField(doubles("ModelTransformationTag", TAG_TRANSFORMATION,
          t.getScaleX(), t.getShearX(), 0, t.getTranslateX(),
          t.getShearY(), t.getScaleY(), 0, t.getTranslateY(),
          0, 0, 0, 0,
          0, 0, 0, 1));
    }
    List<int[]> keys = new ArrayList<>();
    if (tags.epsg() > 0) {
      keys.add(new int[] {KEY_MODEL_TYPE, 0, 1, tags.geographic() ? MODEL_GEOGRAPHIC : MODEL_PROJECTED});
    }
    keys.add(new int[] {KEY_RASTER_TYPE, 0, 1, pixelIsPoint ? 2 : 1});
    if (tags.epsg() > 0) {
      keys.add(new int[] {tags.geographic() ? KEY_GEOGRAPHIC_TYPE : KEY_PROJECTED_TYPE, 0, 1, tags.epsg()});
    }
    // GeoKeyDirectory: header (version 1, revision 1.0, key count), then 4 shorts per key in id order.
    char[] dirShorts = new char[4 + 4 * keys.size()];
    dirShorts[0] = 1;
    dirShorts[1] = 1;
    dirShorts[2] = 0;
    dirShorts[3] = (char) keys.size();
    for (int k = 0; k < keys.size(); k++) {
      for (int j = 0; j < 4; j++) {
        dirShorts[4 + 4 * k + j] = (char) keys.get(k)[j];
      }
    }
    dir.addTIFFField(new TIFFField(new TIFFTag("GeoKeyDirectoryTag", TAG_GEOKEYS, 1 << TIFFTag.TIFF_SHORT),
        TIFFTag.TIFF_SHORT, dirShorts.length, dirShorts));
  }

  private static TIFFField doubles(String name, int tag, double... values) {
    return new TIFFField(new TIFFTag(name, tag, 1 << TIFFTag.TIFF_DOUBLE), TIFFTag.TIFF_DOUBLE, values.length, values);
  }

  private static ImageWriter jdkTiffWriter() {
    for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
      ImageWriter w = it.next();
      if (w.getClass().getName().startsWith("com.sun.imageio.")) {
        return w;
      }
    }
    throw new IllegalStateException("no JDK TIFF writer in this Java runtime");
  }
}
