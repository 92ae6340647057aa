package io.remoteclip.scan;

import io.remoteclip.DataFormatException;
import io.remoteclip.fs.AtomicFiles;
import io.remoteclip.fs.FileErrors;
import io.remoteclip.geo.Footprint;
import io.remoteclip.geo.GeoJson;
import io.remoteclip.geo.Georeferencing;
import io.remoteclip.geo.HeatMap;
import io.remoteclip.geo.Quicklook;
import io.remoteclip.geo.Scene;
import io.remoteclip.image.BandSelection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.opengis.referencing.operation.TransformException;

/**
 * Writes a scan's files into a directory: {@code windows.geojson} (selected windows), {@code heatmap.tif}
 * (every window's scores, georeferenced like the scene) and {@code quicklook.png} (the scene with the selected
 * windows drawn). Each file appears atomically; staging directories left by a killed scan are removed by the next.
 */
public final class ScanOutputs {
  public static final String GEOJSON = "windows.geojson";
  public static final String HEATMAP = "heatmap.tif";
  public static final String QUICKLOOK = "quicklook.png";
  /** Longer side of the quick-look in pixels. */
  public static final int QUICKLOOK_SIDE = 1024;

  private static final String STAGING = ".scan-";
  /** {@code .scan-PID-N} (PID: the writing process), or {@code .scan-N} from versions that did not name it. */
  private static final Pattern STAGED = Pattern.compile("\\.scan-(?:(\\d+)-)?\\d+");
  static final Duration STALE_AFTER = Duration.ofMinutes(1);

  private ScanOutputs() {}

  /** A selected window with its footprint, for reports. */
  public record Selected(ScanResult.Hit hit, String name, Footprint footprint) {}

  /** What was written. */
  public record Written(List<Selected> selected, List<String> warnings) {}

  /** A further file that appears with the three (staged and moved in with them), e.g. the CLI's windows table. */
  public interface Extra {
    String name();

    /** Writes the file at {@code staged}, inside the staging directory. */
    void write(Path staged) throws IOException, DataFormatException;
  }

  /** {@link #write(Path, Scene, BandSelection, ScanResult, Double, Integer, List)} without further files. */
  public static Written write(Path dir, Scene scene, BandSelection bands, ScanResult result, Double threshold,
      Integer topK) throws IOException, DataFormatException {
    return write(dir, scene, bands, result, threshold, topK, List.of());
  }

  /**
   * Writes the three files and {@code extras} into {@code dir} (created if missing): all are made in a hidden
   * staging directory first and moved in only when all exist, so a failure leaves nothing behind.
   */
  public static Written write(Path dir, Scene scene, BandSelection bands, ScanResult result, Double threshold,
      Integer topK, List<Extra> extras) throws IOException, DataFormatException {
    boolean created = !Files.exists(dir);
    Files.createDirectories(dir);
    removeStaleStaging(dir);
    Path staging = Files.createTempDirectory(dir, STAGING + ProcessHandle.current().pid() + "-");
    boolean done = false;
    try {
      Written w;
      try {
        w = writeFiles(staging, scene, bands, result, threshold, topK);
        for (Extra extra : extras) {
          extra.write(staging.resolve(extra.name()));
        }
      } catch (IOException e) {
        throw FileErrors.relocated(staging, dir, e); // the file the user asked for, not its staged copy
      }
      List<String> names = new ArrayList<>(List.of(GEOJSON, HEATMAP, QUICKLOOK));
      extras.forEach(e -> names.add(e.name()));
      for (String name : names) {
        Files.move(staging.resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
      done = true;
      return w;
    } finally {
      deleteFlat(staging);
      if (!done && created) {
        Files.deleteIfExists(dir);
      }
    }
  }

  /**
   * Removes staging directories that a killed scan left in {@code dir}. A staging directory is named after the
   * process writing it ({@code .scan-PID-N}), so one whose process is alive (a concurrent scan) is kept; one
   * of a dead process, or of an earlier version ({@code .scan-N}), only once untouched for {@link #STALE_AFTER},
   * in case the directory is shared with another machine. Best effort: a leftover never fails a scan.
   */
  static void removeStaleStaging(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        Matcher m = STAGED.matcher(p.getFileName().toString());
        if (!m.matches() || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        boolean running = m.group(1) != null
            && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false);
        Instant touched = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
        if (!running && touched.isBefore(Instant.now().minus(STALE_AFTER))) {
          deleteFlat(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      // cleaning up after another run is not this run's job to fail on
    }
  }

  /** Deletes a staging directory and the files in it (it holds no subdirectories). */
  private static void deleteFlat(Path staging) throws IOException {
    try (var left = Files.list(staging)) {
      for (Path p : left.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(staging);
  }

  private static Written writeFiles(Path dir, Scene scene, BandSelection bands, ScanResult result, Double threshold,
      Integer topK) throws IOException, DataFormatException {
    Georeferencing geo = scene.georeferencing().orElse(null);
    List<Selected> selected = new ArrayList<>();
    List<GeoJson.Feature> features = new ArrayList<>();
    List<Quicklook.Outline> outlines = new ArrayList<>();
    try {
      for (ScanResult.Hit hit : result.select(threshold, topK)) {
        Footprint fp = Footprint.of(result.grid().window(hit.window()), geo);
        String name = result.names().get(hit.name());
        selected.add(new Selected(hit, name, fp));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("scene", scene.name());
        props.put(result.zeroShot() ? "label" : "query", name);
        props.put("score", (double) hit.score());
        props.put("rank", hit.rank());
        features.add(new GeoJson.Feature(fp, props));
        outlines.add(new Quicklook.Outline(fp.window(), hit.name(), Integer.toString(hit.rank())));
      }
    } catch (TransformException e) {
      throw new DataFormatException(scene.name() + ": cannot reproject window corners to WGS84: " + e.getMessage(), e);
    }
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("scene", scene.name());
    members.put("georeferenced", geo != null);
    if (geo == null) {
      members.put("note", "the scene has no georeferencing: geometries are null, windows are in pixel coordinates");
    } else {
      members.put("crs", geo.crsName());
    }
    members.put(result.zeroShot() ? "labels" : "queries", result.names());
    members.put("window", result.grid().window());
    members.put("stride", result.grid().stride());
    AtomicFiles.write(dir.resolve(GEOJSON), out -> GeoJson.write(out, features, members));
    List<String> warnings = new ArrayList<>();
    String w = HeatMap.write(dir.resolve(HEATMAP), result.grid(), result.scores(), result.names().size(), geo);
    if (w != null) {
      warnings.add(w);
    }
    Quicklook.write(dir.resolve(QUICKLOOK), scene, bands, outlines, QUICKLOOK_SIDE);
    return new Written(selected, warnings);
  }
}
