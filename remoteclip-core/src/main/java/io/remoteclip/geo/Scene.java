package io.remoteclip.geo;

import io.remoteclip.DataFormatException;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.RasterImages;
import java.awt.Rectangle;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.sis.coverage.grid.GridExtent;
import org.apache.sis.coverage.grid.GridGeometry;
import org.apache.sis.storage.DataStoreException;
import org.apache.sis.storage.GridCoverageResource;
import org.apache.sis.storage.Resource;
import org.apache.sis.storage.StorageConnector;
import org.apache.sis.storage.UnsupportedEncodingException;
import org.apache.sis.storage.event.WarningEvent;
import org.apache.sis.storage.geotiff.GeoTiffStore;
import org.opengis.referencing.datum.PixelInCell;
import org.opengis.util.FactoryException;

/**
 * A large (Geo)TIFF scene opened for windowed reading: only the tiles or strips a window touches are read and
 * decoded, so memory is bounded by the window, not the scene. Apache SIS's GeoTIFF store does the TIFF work
 * (classic and BigTIFF, tiled and striped, LZW / Deflate / PackBits, predictors, overviews, 8/16/32-bit and
 * float samples, any band count) and the georeferencing (tie point + scale or ModelTransformation, CRS from
 * the GeoKeys). JPEG-compressed tiles, which SIS 1.4 does not decode, are read region by region through the
 * JDK's TIFF plugin (classic TIFF only). Not thread-safe: one reader per thread.
 */
public final class Scene implements AutoCloseable {
  private final SceneSource source;
  private final GeoTiffStore store;
  private final GridCoverageResource image;
  private final GridGeometry grid;
  private final int width;
  private final int height;
  private final int bands;
  private final Georeferencing georeferencing;
  private final List<String> warnings;
  private final boolean bigTiff;
  private WindowSource pixels;

  private Scene(SceneSource source, GeoTiffStore store, GridCoverageResource image, GridGeometry grid, int bands,
      Georeferencing georeferencing, List<String> warnings, boolean bigTiff) {
    this.source = source;
    this.store = store;
    this.image = image;
    this.grid = grid;
    this.width = Math.toIntExact(grid.getExtent().getSize(0));
    this.height = Math.toIntExact(grid.getExtent().getSize(1));
    this.bands = bands;
    this.georeferencing = georeferencing;
    this.warnings = warnings;
    this.bigTiff = bigTiff;
    this.pixels = new SisWindowSource(image, grid);
  }

  /**
   * Opens {@code file}, reading its directory and georeferencing but no pixels.
   *
   * @throws DataFormatException not a TIFF, a damaged directory, or GeoKeys naming a CRS the referencing
   *     library does not know
   * @throws NoSuchFileException when the file does not exist
   */
  public static Scene open(Path file) throws IOException, DataFormatException {
    return open(SceneSource.of(file));
  }

  /** As {@link #open(Path)}, for a scene wherever {@code source} reads it from. */
  public static Scene open(SceneSource source) throws IOException, DataFormatException {
    SisSetup.ensure();
    String file = source.name();
    boolean big = sniff(source);
    List<String> warnings = new ArrayList<>();
    GeoTiffStore store;
    Object storage = source.storage();
    try {
      store = new GeoTiffStore(null, new StorageConnector(storage));
    } catch (DataStoreException | RuntimeException e) {
      if (storage instanceof java.io.Closeable c) {
        c.close(); // a channel opened for this store; SIS closes it only once the store exists
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new DataFormatException(file + ": corrupt TIFF: " + firstLine(e), e);
    }
    try {
      store.addListener(WarningEvent.class, w -> warnings.add(warning(w.getDescription())));
      GridCoverageResource image = firstImage(file, store);
      GridGeometry grid = image.getGridGeometry();
      if (grid.getDimension() != 2) {
        throw new DataFormatException(file + ": expected a 2-D image, got " + grid.getDimension() + " dimensions");
      }
      int bands = image.getSampleDimensions().size();
      Georeferencing geo = georeferencing(file, grid, warnings);
      return new Scene(source, store, image, grid, bands, geo, warnings, big);
    } catch (DataStoreException e) {
      closeQuietly(store);
      throw new DataFormatException(file + ": corrupt GeoTIFF: " + firstLine(e), e);
    } catch (DataFormatException e) {
      closeQuietly(store);
      throw e;
    } catch (RuntimeException e) {
      // SIS reports a truncated directory with an unchecked exception wrapping the EOFException.
      closeQuietly(store);
      throw new DataFormatException(file + ": corrupt TIFF: " + firstLine(e.getCause() != null ? e.getCause() : e), e);
    }
  }

  private static GridCoverageResource firstImage(String file, GeoTiffStore store) throws DataStoreException,
      DataFormatException {
    for (Resource r : store.components()) {
      if (r instanceof GridCoverageResource g) {
        return g;
      }
    }
    throw new DataFormatException(file + ": TIFF holds no image");
  }

  private static Georeferencing georeferencing(String file, GridGeometry grid, List<String> warnings)
      throws DataFormatException {
    if (!grid.isDefined(GridGeometry.GRID_TO_CRS)) {
      return null;
    }
    if (!grid.isDefined(GridGeometry.CRS)) {
      String why = warnings.stream().filter(w -> w.contains("reference system")).findFirst().orElse(null);
      if (why != null) {
        throw new DataFormatException(file + ": " + why);
      }
      return null; // a grid transform without GeoKeys: pixel coordinates, as for no georeferencing
    }
    try {
      return Georeferencing.of(grid.getGridToCRS(PixelInCell.CELL_CORNER), grid.getCoordinateReferenceSystem());
    } catch (FactoryException e) {
      throw new DataFormatException(file + ": CRS " + grid.getCoordinateReferenceSystem().getName()
          + " cannot be reprojected to WGS84: " + firstLine(e), e);
    }
  }

  /** Checks the TIFF magic; true for BigTIFF. */
  private static boolean sniff(SceneSource source) throws IOException, DataFormatException {
    byte[] h = new byte[4];
    int n;
    try (InputStream in = java.nio.channels.Channels.newInputStream(source.open())) {
      n = in.readNBytes(h, 0, 4);
    }
    String file = source.name();
    boolean ii = n == 4 && h[0] == 'I' && h[1] == 'I' && h[3] == 0;
    boolean mm = n == 4 && h[0] == 'M' && h[1] == 'M' && h[2] == 0;
    int version = ii ? h[2] : mm ? h[3] : -1;
    if (version != 42 && version != 43) {
      throw new DataFormatException(file + ": not a TIFF or GeoTIFF (scenes are read from (Big)TIFF files)");
    }
    return version == 43;
  }

  /**
   * The scene's local file.
   *
   * @throws IllegalStateException for a scene read from elsewhere (see {@link #name()})
   */
  public Path file() {
    if (source instanceof SceneSource.LocalFile local) {
      return local.file();
    }
    throw new IllegalStateException(source.name() + " is not a local file");
  }

  /** The scene as messages name it: its path or URI. */
  public String name() {
    return source.name();
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Samples per pixel. */
  public int bands() {
    return bands;
  }

  public boolean isBigTiff() {
    return bigTiff;
  }

  /** Georeferencing, empty for a plain TIFF (the scene is then in pixel coordinates). */
  public Optional<Georeferencing> georeferencing() {
    return Optional.ofNullable(georeferencing);
  }

  /** Warnings the TIFF reader raised so far (unknown tags, ignored GeoKeys), one line each. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Number of resolution levels (1 without overviews). */
  public int resolutionLevels() throws DataFormatException {
    try {
      return Math.max(1, image.getResolutions().size());
    } catch (DataStoreException e) {
      throw new DataFormatException(name() + ": corrupt overview directory: " + firstLine(e), e);
    }
  }

  /** The stored samples of {@code window}, which must lie inside the scene. */
  public WindowPixels read(Rectangle window) throws IOException, DataFormatException {
    if (window.x < 0 || window.y < 0 || window.width <= 0 || window.height <= 0 || window.x + window.width > width
        || window.y + window.height > height) {
      throw new IllegalArgumentException("window " + window.width + "x" + window.height + "+" + window.x + "+"
          + window.y + " outside the " + width + "x" + height + " scene " + name());
    }
    return withSource(source -> source.read(window), "in window " + window.x + "," + window.y);
  }

  /** Window {@code window} as the image the crop saved as a TIFF would decode to ({@code bands} may be null). */
  public DecodedImage readImage(Rectangle window, BandSelection bands) throws IOException, DataFormatException {
    WindowPixels p = read(window);
    return RasterImages.of(name(), p.raster(), p.colors(), bands);
  }

  /**
   * The whole scene subsampled so that its longer side is at most {@code maxSide} (from an overview when the
   * file has a matching one), as stored samples.
   */
  public WindowPixels overview(int maxSide) throws IOException, DataFormatException {
    int step = (int) Math.max(1, Math.ceil(Math.max(width, height) / (double) maxSide));
    return withSource(source -> source.overview(step), "while reading an overview");
  }

  private interface Read {
    WindowPixels apply(WindowSource source) throws IOException, DataStoreException;
  }

  private WindowPixels withSource(Read read, String where) throws IOException, DataFormatException {
    try {
      try {
        return read.apply(pixels);
      } catch (UnsupportedEncodingException e) {
        if (bigTiff || !(pixels instanceof SisWindowSource)) {
          throw new DataFormatException(name() + ": " + firstLine(e) + (bigTiff ? " (JPEG tiles are read from classic"
              + " TIFFs only; recompress, e.g. gdal_translate -co COMPRESS=DEFLATE -co TILED=YES)" : ""), e);
        }
        pixels = new ImageIoWindowSource(source); // JPEG tiles: the JDK's TIFF plugin decodes them
        return read.apply(pixels);
      } catch (DataStoreException e) {
        if (bigTiff || !(pixels instanceof SisWindowSource) || !colourModelRefused(e)) {
          throw e;
        }
        // SIS builds RGB colour models for 1..8-bit samples only: 16-bit RGB goes through the JDK's TIFF plugin,
        // which reads the samples the whole-file decoder (embed) reads.
        pixels = new ImageIoWindowSource(source);
        return read.apply(pixels);
      }
    } catch (DataStoreException e) {
      throw new DataFormatException(name() + ": corrupt tile or strip " + where + ": " + firstLine(e), e);
    } catch (javax.imageio.IIOException | RuntimeException e) {
      // Decoders report some damaged tiles with unchecked exceptions (the window itself was checked above).
      throw new DataFormatException(name() + ": corrupt tile or strip " + where + ": " + firstLine(e), e);
    }
  }

  /** SIS rejected the file's colour model (an argument check, not damaged data). */
  private static boolean colourModelRefused(DataStoreException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException && String.valueOf(t.getMessage()).contains("bitsPerSample")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    try {
      pixels.close();
    } finally {
      try {
        store.close();
      } catch (DataStoreException e) {
        throw new IOException(name() + ": " + e.getMessage(), e);
      }
    }
  }

  private static void closeQuietly(GeoTiffStore store) {
    try {
      store.close();
    } catch (DataStoreException e) {
      // already failing: the first error is the one to report
    }
  }

  /** SIS's warning with its cause (which names the unknown code, for instance), on one line. */
  private static String warning(java.util.logging.LogRecord record) {
    String m = firstLine(record.getMessage());
    Throwable cause = record.getThrown();
    if (cause != null && cause.getMessage() != null && !m.contains(firstLine(cause))) {
      m = m.replaceFirst("\\.$", "") + ": " + firstLine(cause);
    }
    return m;
  }

  static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return firstLine(m);
  }

  static String firstLine(String m) {
    return m == null ? "" : m.lines().findFirst().orElse(m);
  }

  /** Reads windows of one resolution level. */
  interface WindowSource extends AutoCloseable {
    WindowPixels read(Rectangle window) throws IOException, DataStoreException;

    WindowPixels overview(int step) throws IOException, DataStoreException;

    @Override
    void close() throws IOException;
  }

  /** Through SIS: the tiles a window touches are read and cached (weakly) for the next overlapping window. */
  private static final class SisWindowSource implements WindowSource {
    private final GridCoverageResource image;
    private final GridGeometry grid;

    SisWindowSource(GridCoverageResource image, GridGeometry grid) {
      this.image = image;
      this.grid = grid;
    }

    @Override
    public WindowPixels read(Rectangle w) throws DataStoreException {
      GridExtent extent = new GridExtent(null, new long[] {w.x, w.y},
          new long[] {w.x + w.width - 1L, w.y + w.height - 1L}, true);
      GridGeometry domain;
      try {
        domain = new GridGeometry(grid, extent, null);
      } catch (org.opengis.referencing.operation.TransformException e) {
        throw new IllegalStateException("identity grid transform failed", e);
      }
      var coverage = image.read(domain);
      GridExtent got = coverage.getGridGeometry().getExtent();
      RenderedImage rendered = coverage.render(null);
      // The coverage covers whole tiles; its image starts at the first tile's corner.
      int x = rendered.getMinX() + Math.toIntExact(w.x - got.getLow(0));
      int y = rendered.getMinY() + Math.toIntExact(w.y - got.getLow(1));
      var raster = rendered.getData(new Rectangle(x, y, w.width, w.height)).createTranslatedChild(0, 0);
      return new WindowPixels(raster, rendered.getColorModel());
    }

    @Override
    public WindowPixels overview(int step) throws DataStoreException {
      GridGeometry domain;
      try {
        domain = grid.derive().subgrid((GridExtent) null, step, step).build();
      } catch (RuntimeException e) {
        throw new DataStoreException("cannot subsample the grid by " + step + ": " + e.getMessage(), e);
      }
      RenderedImage rendered = image.read(domain).render(null);
      var raster = rendered.getData().createTranslatedChild(0, 0);
      return new WindowPixels(raster, rendered.getColorModel());
    }

    @Override
    public void close() {
      // the store owns the channel
    }
  }
}
