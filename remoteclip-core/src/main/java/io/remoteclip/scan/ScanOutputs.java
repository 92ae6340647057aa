package io.remoteclip.scan;

import io.remoteclip.DataFormatException;
import io.remoteclip.fs.AtomicFiles;
import io.remoteclip.geo.Footprint;
import io.remoteclip.geo.GeoJson;
import io.remoteclip.geo.Georeferencing;
import io.remoteclip.geo.HeatMap;
import io.remoteclip.geo.Quicklook;
import io.remoteclip.geo.Scene;
import io.remoteclip.image.BandSelection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opengis.referencing.operation.TransformException;

/**
 * Writes a scan's files into a directory: {@code windows.geojson} (selected windows), {@code heatmap.tif}
 * (every window's scores, georeferenced like the scene) and {@code quicklook.png} (the scene with the selected
 * windows drawn). Each file appears atomically.
 */
public final class ScanOutputs {
  public static final String GEOJSON = "windows.geojson";
  public static final String HEATMAP = "heatmap.tif";
  public static final String QUICKLOOK = "quicklook.png";
  /** Longer side of the quick-look in pixels. */
  public static final int QUICKLOOK_SIDE = 1024;

  private ScanOutputs() {}

  /** A selected window with its footprint, for reports. */
  public record Selected(ScanResult.Hit hit, String name, Footprint footprint) {}

  /** What was written. */
  public record Written(List<Selected> selected, List<String> warnings) {}

  /**
   * Writes the three files into {@code dir} (created if missing): all are made in a hidden staging directory
   * first and moved in only when all three exist, so a failure leaves nothing behind.
   */
  public static Written write(Path dir, Scene scene, BandSelection bands, ScanResult result, Double threshold,
      Integer topK) throws IOException, DataFormatException {
    boolean created = !Files.exists(dir);
    Files.createDirectories(dir);
    Path staging = Files.createTempDirectory(dir, ".scan-");
    boolean done = false;
    try {
      Written w = writeFiles(staging, scene, bands, result, threshold, topK);
      for (String name : List.of(GEOJSON, HEATMAP, QUICKLOOK)) {
        Files.move(staging.resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
      done = true;
      return w;
    } finally {
      try (var left = Files.list(staging)) {
        for (Path p : left.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(staging);
      if (!done && created) {
        Files.deleteIfExists(dir);
      }
    }
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
        props.put("scene", scene.file().toString());
        props.put(result.zeroShot() ? "label" : "query", name);
        props.put("score", (double) hit.score());
        props.put("rank", hit.rank());
        features.add(new GeoJson.Feature(fp, props));
        outlines.add(new Quicklook.Outline(fp.window(), hit.name(), Integer.toString(hit.rank())));
      }
    } catch (TransformException e) {
      throw new DataFormatException(scene.file() + ": cannot reproject window corners to WGS84: " + e.getMessage(), e);
    }
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("scene", scene.file().toString());
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
