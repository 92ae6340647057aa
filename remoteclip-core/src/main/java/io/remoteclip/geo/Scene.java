package io.remoteclip.geo;

import io.remoteclip.DataFormatException;
import io.remoteclip.image.BandSelection;
import io.remoteclip.image.DecodedImage;
import io.remoteclip.image.RasterImages;
import io.remoteclip.remote.RasterLocation;
import io.remoteclip.remote.RemoteFailures;
import io.remoteclip.remote.Transfers;
import java.awt.Rectangle;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
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
import org.apache.sis.coverage.grid.PixelInCell;
import org.opengis.util.FactoryException;

/**
 * A large (Geo)TIFF scene opened for windowed reading: only the tiles or strips a window touches are read and
 * decoded, so memory is bounded by the window, not the scene. Apache SIS's GeoTIFF store does the TIFF work
 * (classic and BigTIFF, tiled and striped, LZW / Deflate / PackBits, predictors, overviews, 8/16/32-bit and
 * float samples, any band count) and the georeferencing (tie point + scale or ModelTransformation, CRS from
 * the GeoKeys). JPEG-compressed tiles, which SIS 1.4 does not decode, are read region by region through the
 * JDK's TIFF plugin (classic TIFF only). Not thread-safe: one reader per thread.
 *
 * <p>A scene may be remote ({@link RasterLocation}): an {@code http(s)://} or {@code s3://} Cloud-Optimised
 * GeoTIFF is read by byte ranges, window by window, never downloaded whole; a remote TIFF that is striped
 * rather than tiled is read too, with a one-time warning that its windows cost whole strips.
 *
 * <p>A TIFF DateTime tag makes SIS add a one-cell time axis to the grid (column, row, time): windows are read
 * from that 3-D grid, georeferencing comes from its horizontal (column, row) part, and the tag's time is the
 * scene's {@link #acquisitionTime()}.
 */
public final class Scene implements AutoCloseable {
  private final RasterLocation location;
  private final SeekableByteChannel channel;
  private final GeoTiffStore store;
  private final GridCoverageResource image;
  private final GridGeometry grid;
  private final int width;
  private final int height;
  private final int bands;
  private final Georeferencing georeferencing;
  private final Instant acquired;
  private final List<String> warnings;
  private final boolean bigTiff;
  private WindowSource pixels;

  private Scene(RasterLocation location, SeekableByteChannel channel, GeoTiffStore store, GridCoverageResource image,
      GridGeometry grid, int bands, Georeferencing georeferencing, Instant acquired, List<String> warnings,
      boolean bigTiff) {
    this.location = location;
    this.channel = channel;
    this.store = store;
    this.image = image;
    this.grid = grid;
    this.width = Math.toIntExact(grid.getExtent().getSize(0));
    this.height = Math.toIntExact(grid.getExtent().getSize(1));
    this.bands = bands;
    this.georeferencing = georeferencing;
    this.acquired = acquired;
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
    return open(RasterLocation.of(file));
  }

  /**
   * Opens a local or remote scene, reading its directory and georeferencing but no pixels.
   *
   * @throws DataFormatException not a TIFF, a damaged directory, or GeoKeys naming a CRS the referencing
   *     library does not know
   * @throws NoSuchFileException when the file does not exist
   * @throws io.remoteclip.remote.RemoteNotFoundException when the remote object answers 404
   * @throws io.remoteclip.remote.RemoteIOException when the remote object cannot be read (one line naming it)
   */
  public static Scene open(RasterLocation location) throws IOException, DataFormatException {
    SisSetup.ensure();
    String file = location.name();
    List<String> warnings = new ArrayList<>();
    SeekableByteChannel channel = location.open();
    GeoTiffStore store;
    boolean big;
    try {
      TiffHeader header = TiffHeader.read(channel, file);
      big = header.bigTiff();
      if (location.isRemote() && !header.tiled()) {
        Transfers.warnOnce(location, "a striped TIFF, not a cloud-optimised GeoTIFF: each window reads whole strips,"
            + " so the file is read sequentially (gdal_translate -of COG makes a tiled one)");
      }
      channel.position(0);
      // A local file is given to SIS by path (SIS maps it); a remote one as the range-reading channel.
      StorageConnector connector = location instanceof RasterLocation.Local local
          ? new StorageConnector(local.path()) : new StorageConnector(channel);
      store = new GeoTiffStore(null, connector);
    } catch (DataStoreException e) {
      channel.close();
      rethrowRemote(location, e);
      throw new DataFormatException(file + ": corrupt TIFF: " + firstLine(e), e);
    } catch (IOException | DataFormatException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (location instanceof RasterLocation.Local) {
      channel.close();
      channel = null;
    }
    try {
      store.addListener(WarningEvent.class, w -> warnings.add(warning(w.getDescription())));
      GridCoverageResource image = firstImage(file, store);
      GridGeometry grid = image.getGridGeometry();
      GridGeometry horizontal = horizontal(file, grid);
      int bands = image.getSampleDimensions().size();
      Georeferencing geo = georeferencing(file, horizontal, warnings);
      Instant acquired = grid.isDefined(GridGeometry.TEMPORAL_EXTENT) ? grid.getTemporalExtent()[0] : null;
      return new Scene(location, channel, store, image, grid, bands, geo, acquired, warnings, big);
    } catch (DataStoreException e) {
      closeQuietly(store, channel);
      rethrowRemote(location, e);
      throw new DataFormatException(file + ": corrupt GeoTIFF: " + firstLine(e), e);
    } catch (DataFormatException e) {
      closeQuietly(store, channel);
      throw e;
    } catch (RuntimeException e) {
      // SIS reports a truncated directory with an unchecked exception wrapping the EOFException.
      closeQuietly(store, channel);
      rethrowRemote(location, e);
      throw new DataFormatException(file + ": corrupt TIFF: "
          + firstLine(e.getCause() != null ? e.getCause() : e), e);
    }
  }

  /** Throws the remote failure (404, refused, cut short) inside what SIS threw, if any, to be reported as itself. */
  private static void rethrowRemote(RasterLocation location, Throwable e) throws IOException {
    if (location.isRemote()) {
      var failure = RemoteFailures.find(location, e);
      if (failure.isPresent()) {
        throw failure.get();
      }
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

  /**
   * The (column, row) part of {@code grid}: the grid itself for a 2-D image; for one whose extra axes (the time
   * axis SIS derives from a DateTime tag) are one cell long, the grid without them.
   */
  private static GridGeometry horizontal(String file, GridGeometry grid) throws DataFormatException {
    GridExtent extent = grid.getExtent();
    for (int d = 2; d < extent.getDimension(); d++) {
      if (extent.getSize(d) != 1) {
        throw new DataFormatException(file + ": expected a 2-D image, got " + extent.getDimension()
            + " dimensions, dimension " + (d + 1) + " of " + extent.getSize(d) + " cells");
      }
    }
    return extent.getDimension() == 2 ? grid : grid.selectDimensions(0, 1);
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

  /** Where the scene is read from. */
  public RasterLocation location() {
    return location;
  }

  /** What messages call the scene: its path as given, or its URI. */
  public String name() {
    return location.name();
  }

  /**
   * The local file.
   *
   * @throws IllegalStateException for a remote scene (use {@link #location()} or {@link #name()})
   */
  public Path file() {
    if (location instanceof RasterLocation.Local local) {
      return local.path();
    }
    throw new IllegalStateException(location + " is remote: it has no local path");
  }

  /** Requests and bytes fetched so far for a remote scene (since the last {@link Transfers#reset()}). */
  public java.util.Optional<Transfers.Summary> transfers() {
    return location.isRemote() ? java.util.Optional.of(Transfers.of(location.name())) : java.util.Optional.empty();
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

  /** When the scene was acquired, from its TIFF DateTime tag (read as UTC); empty without one. */
  public Optional<Instant> acquisitionTime() {
    return Optional.ofNullable(acquired);
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
        pixels = new ImageIoWindowSource(location); // JPEG tiles: the JDK's TIFF plugin decodes them
        return read.apply(pixels);
      } catch (DataStoreException e) {
        if (bigTiff || !(pixels instanceof SisWindowSource) || !colourModelRefused(e)) {
          throw e;
        }
        // SIS builds RGB colour models for 1..8-bit samples only: 16-bit RGB goes through the JDK's TIFF plugin,
        // which reads the samples the whole-file decoder (embed) reads.
        pixels = new ImageIoWindowSource(location);
        return read.apply(pixels);
      }
    } catch (DataStoreException e) {
      rethrowRemote(location, e);
      throw new DataFormatException(name() + ": corrupt tile or strip " + where + ": " + firstLine(e), e);
    } catch (javax.imageio.IIOException | RuntimeException e) {
      // Decoders report some damaged tiles with unchecked exceptions (the window itself was checked above).
      rethrowRemote(location, e);
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
      } finally {
        if (channel != null) {
          channel.close();
        }
      }
    }
  }

  private static void closeQuietly(GeoTiffStore store, SeekableByteChannel channel) {
    try {
      store.close();
      if (channel != null) {
        channel.close();
      }
    } catch (DataStoreException | IOException e) {
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

  /**
   * Through SIS: the tiles a window touches are read and cached (weakly) for the next overlapping window. Requests
   * keep the grid's own dimensions (a DateTime tag's time axis too), narrowed or subsampled on columns and rows.
   */
  private static final class SisWindowSource implements WindowSource {
    private final GridCoverageResource image;
    private final GridGeometry grid;

    SisWindowSource(GridCoverageResource image, GridGeometry grid) {
      this.image = image;
      this.grid = grid;
    }

    @Override
    public WindowPixels read(Rectangle w) throws DataStoreException {
      GridExtent extent = grid.getExtent().withRange(0, w.x, w.x + w.width - 1L)
          .withRange(1, w.y, w.y + w.height - 1L);
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
        long[] steps = new long[grid.getDimension()];
        java.util.Arrays.fill(steps, 1);
        steps[0] = step;
        steps[1] = step;
        domain = grid.derive().subgrid((GridExtent) null, steps).build();
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
