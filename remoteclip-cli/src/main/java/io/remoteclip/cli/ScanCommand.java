package io.remoteclip.cli;

import io.remoteclip.Json;
import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.cli.common.WindowBoxOption;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.geo.Footprint;
import io.remoteclip.geo.Georeferencing;
import io.remoteclip.geo.LonLatBox;
import io.remoteclip.geo.Scene;
import io.remoteclip.geo.WindowGrid;
import io.remoteclip.image.BandSelection;
import io.remoteclip.remote.RasterLocation;
import io.remoteclip.parquet.TableMetadata;
import io.remoteclip.scan.ScanOutputs;
import io.remoteclip.scan.ScanResult;
import io.remoteclip.scan.SceneScanner;
import io.remoteclip.scan.WindowScorer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Sliding-window search inside large (Geo)TIFF scenes. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Searches inside large scenes: a window slides over each (Geo)TIFF (only the tiles it touches are read), "
          + "each window is encoded as the same pixels saved as a file would be and scored against text queries "
          + "(cosine) or zero-shot labels (probability).",
      "",
      "Writes to --out: windows.geojson (RFC 7946: WGS84 polygons of the selected windows with native-CRS "
          + "coordinates, pixel window, score, label or query, and rank), heatmap.tif (float32 GeoTIFF, one band "
          + "per query or label, one cell per window, georeferenced like the scene), quicklook.png (the scene "
          + "with the selected windows drawn) and windows.parquet (GeoParquet: every window's footprint and embedding, "
          + "for index --from-parquet). Several scenes go to --out/<scene name>/."
    },
    footer = {"%nExample:",
      "  remoteclip scan --query \"an airport runway\" --window-m 200 --top-k 20 --out airports scene.tif"})
public final class ScanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--query", paramLabel = "TEXT", description = "Text query; repeat for several (each gets its own heat-map band).")
  List<String> queries;

  @Option(names = "--labels", split = ",", paramLabel = "LABEL", description = "Comma-separated class names: zero-shot per window.")
  List<String> labels;

  @Option(names = "--template", paramLabel = "TEXT",
      description = "Prompt template for --labels with {} for the label; repeat for an ensemble (default: \"a satellite photo of {}.\").")
  List<String> templates;

  @Option(converter = Ranges.Positive.class, names = "--window", paramLabel = "N",
      description = "Window side in pixels (default: the model's input size)." + Ranges.Positive.HELP)
  Integer window;

  @Option(converter = Ranges.PositiveDouble.class, names = "--window-m", paramLabel = "M",
      description = "Window side in metres on the ground (from the geotransform)." + Ranges.PositiveDouble.HELP)
  Double windowMetres;

  @Option(converter = Ranges.Positive.class, names = "--stride", paramLabel = "N",
      description = "Step between windows in pixels (default: the window side)." + Ranges.Positive.HELP)
  Integer stride;

  @Option(converter = Ranges.FiniteDouble.class, names = "--threshold", paramLabel = "T",
      description = "Keep windows scoring at least T." + Ranges.FiniteDouble.HELP)
  Double threshold;

  @Option(converter = Ranges.Positive.class, names = "--top-k", paramLabel = "K",
      description = "Keep the K best windows per query or label (default: 10 without --threshold)."
          + Ranges.Positive.HELP)
  Integer topK;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--overwrite", description = "Replace the files in an existing --out.")
  boolean overwrite;

  @Option(names = "--json", description = "One JSON object per scene on stdout.")
  boolean json;

  @Mixin WindowBoxOption bbox;

  @Mixin io.remoteclip.cli.common.StacInputOptions stac;

  @Mixin io.remoteclip.cli.common.StacCollectionOption stacCollection;

  @Parameters(arity = "0..*", paramLabel = "SCENE",
      description = "(Geo)TIFF scenes: classic or BigTIFF, tiled or striped; paths, or http(s):// and s3:// URIs "
          + "of cloud-optimised GeoTIFFs (read by ranges).")
  List<RasterLocation> scenes;

  @Override
  public Integer call() throws Exception {
    boolean hasQueries = queries != null && !queries.isEmpty();
    boolean hasLabels = labels != null && !labels.isEmpty();
    if (hasQueries == hasLabels) {
      throw Usage.error(spec, "give either --query TEXT (repeatable) or --labels a,b,...");
    }
    if (hasLabels && labels.size() < 2) {
      throw Usage.error(spec, "--labels needs at least two labels");
    }
    String repeated = hasLabels ? io.remoteclip.eval.ClassLabels.firstDuplicate(labels) : null;
    Usage.require(spec, repeated == null, io.remoteclip.eval.ClassLabels.duplicateMessage("--labels", repeated));
    if (window != null && windowMetres != null) {
      throw Usage.error(spec, "give --window or --window-m, not both");
    }
    if (topK == null && threshold == null) {
      topK = 10;
    }
    List<String> prompts = templates == null || templates.isEmpty() ? List.of("a satellite photo of {}.") : templates;
    prompts.stream().filter(t -> !t.contains("{}")).findFirst().ifPresent(t -> {
      throw Usage.error(spec, "--template \"" + t + "\" has no {} for the label");
    });
    LonLatBox box = bbox.box(spec);
    stac.check();
    Usage.require(spec, (scenes == null || scenes.isEmpty()) == stac.given(), "give SCENE paths or URIs, or --stac ITEMS --asset KEY");
    Map<RasterLocation, io.remoteclip.stac.StacScene> items = stac.given() ? stac.scenes() : Map.of();
    if (stac.given()) {
      scenes = new java.util.ArrayList<>(items.keySet());
    }
    OutputChecks.requireFresh(spec, out, overwrite);
    stacCollection.check(overwrite);
    Map<RasterLocation, Path> dirs = outputDirs(items);
    BandSelection bands = modelOptions.bands();
    // Open (and so check) every scene and its window before the model loads: bad input fails fast.
    for (RasterLocation p : scenes) {
      try (Scene scene = Scene.open(p)) {
        if (window != null || windowMetres != null) {
          grid(scene, 0);
        }
        if (box != null && scene.georeferencing().isEmpty()) {
          throw Usage.error(spec, p + ": --bbox needs a georeferenced scene; this one has no georeferencing");
        }
      }
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    ObjectMapper mapper = Json.mapper();
    try (ClipEncoder encoder = modelOptions.open()) {
      WindowScorer scorer = hasQueries ? WindowScorer.queries(encoder, queries)
          : WindowScorer.labels(encoder, labels, prompts);
      SceneScanner scanner = new SceneScanner(encoder);
      TableMetadata table = TableMetadata.of(encoder.modelId(), IndexModels.reference(modelOptions),
          IndexModels.vocabReference(modelOptions), encoder.towers().embedDim(), false);
      for (RasterLocation p : scenes) {
        try (Scene scene = Scene.open(p)) {
          WindowGrid grid = grid(scene, encoder.towers().imageSize());
          int[] inBox = box == null ? null : box.windowsOf(grid, scene.georeferencing().orElseThrow());
          ScanResult result = scanner.scan(scene, grid, inBox, bands, scorer, ConsoleProgress.stderr());
          ScanWindowsTable windows = new ScanWindowsTable(scene, result, table, items.get(p));
          ScanOutputs.Written written = ScanOutputs.write(dirs.get(p), scene, bands, result, threshold, topK,
              List.of(windows));
          stacCollection.add(windows.described(dirs.get(p)));
          written.warnings().forEach(w -> stderr.println("remoteclip: warning: " + p + ": " + w));
          if (json) {
            stdout.println(mapper.writeValueAsString(report(scene, result, written, dirs.get(p))));
          } else {
            printSummary(stdout, scene, result, written, dirs.get(p));
          }
          stdout.flush();
          stderr.flush();
        }
      }
    }
    String described = stacCollection.write(overwrite);
    if (described != null && !json) {
      stdout.println(described);
    }
    return 0;
  }

  /** One folder per scene, named after the file, or the STAC item (whose assets often share a file name). */
  private Map<RasterLocation, Path> outputDirs(Map<RasterLocation, io.remoteclip.stac.StacScene> items) {
    Map<RasterLocation, Path> dirs = new LinkedHashMap<>();
    Set<String> names = new HashSet<>();
    for (RasterLocation p : scenes) {
      io.remoteclip.stac.StacScene item = items.get(p);
      String name = item != null ? item.itemId().replaceAll("[^A-Za-z0-9._-]", "_")
          : p.fileName().replaceFirst("\\.[^.]+$", "");
      if (scenes.size() > 1 && !names.add(name)) {
        throw Usage.error(spec, p + ": two scenes named " + name + " would share " + out.resolve(name));
      }
      dirs.put(p, scenes.size() == 1 ? out : out.resolve(name));
    }
    return dirs;
  }

  private WindowGrid grid(Scene scene, int modelSize) throws Exception {
    int side;
    if (windowMetres != null) {
      Georeferencing geo = scene.georeferencing().orElseThrow(() -> Usage.error(spec, scene.name()
          + ": --window-m needs a georeferenced scene; this one has no georeferencing (use --window N pixels)"));
      double pixel = geo.pixelSizeMetres(scene.width() / 2.0, scene.height() / 2.0);
      side = (int) Math.max(1, Math.round(windowMetres / pixel));
    } else {
      side = window != null ? window : modelSize;
    }
    int step = stride != null ? stride : side;
    try {
      return new WindowGrid(scene.width(), scene.height(), side, step);
    } catch (IllegalArgumentException e) {
      throw Usage.error(spec, scene.name() + ": " + e.getMessage());
    }
  }

  private static Map<String, Object> report(Scene scene, ScanResult result, ScanOutputs.Written written, Path dir) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("scene", scene.name());
    o.put("width", scene.width());
    o.put("height", scene.height());
    o.put("bands", scene.bands());
    o.put("georeferenced", scene.georeferencing().isPresent());
    scene.georeferencing().ifPresent(g -> o.put("crs", g.crsName()));
    o.put("window", result.grid().window());
    o.put("stride", result.grid().stride());
    o.put("windows", result.scored());
    o.put("seconds", result.seconds());
    o.put("windows_per_second", result.windowsPerSecond());
    o.put(result.zeroShot() ? "labels" : "queries", result.names());
    o.put("outputs", List.of(dir.resolve(ScanOutputs.GEOJSON).toString(), dir.resolve(ScanOutputs.HEATMAP).toString(),
        dir.resolve(ScanOutputs.QUICKLOOK).toString(), dir.resolve(ScanWindowsTable.NAME).toString()));
    List<Map<String, Object>> hits = new ArrayList<>();
    for (ScanOutputs.Selected s : written.selected()) {
      Map<String, Object> h = new LinkedHashMap<>();
      h.put(result.zeroShot() ? "label" : "query", s.name());
      h.put("rank", s.hit().rank());
      h.put("score", (double) s.hit().score());
      var w = s.footprint().window();
      h.put("pixel_window", List.of(w.x, w.y, w.width, w.height));
      if (s.footprint().isGeoreferenced()) {
        h.put("lon_lat_bbox", s.footprint().lonLatBounds());
      }
      hits.add(h);
    }
    o.put("hits", hits);
    o.put("warnings", written.warnings());
    return o;
  }

  private static void printSummary(PrintWriter out, Scene scene, ScanResult result, ScanOutputs.Written written,
      Path dir) {
    out.printf(Locale.ROOT, "%s: %dx%d, %s; %d windows of %d px (stride %d) in %.1fs, %.1f windows/s; wrote %s/{%s,%s,%s,%s}%n",
        scene.name(), scene.width(), scene.height(),
        scene.georeferencing().map(Georeferencing::crsName).orElse("no georeferencing (pixel coordinates)"),
        result.scored(), result.grid().window(), result.grid().stride(), result.seconds(),
        result.windowsPerSecond(), dir, ScanOutputs.GEOJSON, ScanOutputs.HEATMAP, ScanOutputs.QUICKLOOK, ScanWindowsTable.NAME);
    for (ScanOutputs.Selected s : written.selected()) {
      Footprint fp = s.footprint();
      var w = fp.window();
      String where = fp.isGeoreferenced() ? String.format(Locale.ROOT, "  lon/lat [%.6f, %.6f, %.6f, %.6f]",
          fp.lonLatBounds()[0], fp.lonLatBounds()[1], fp.lonLatBounds()[2], fp.lonLatBounds()[3]) : "";
      out.printf(Locale.ROOT, "  %s #%d %.4f  pixels %d,%d %dx%d%s%n", s.name(), s.hit().rank(), s.hit().score(),
          w.x, w.y, w.width, w.height, where);
    }
  }
}
