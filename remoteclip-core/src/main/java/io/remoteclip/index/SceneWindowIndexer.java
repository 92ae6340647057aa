package io.remoteclip.index;

import io.remoteclip.fs.InputFiles;
import io.remoteclip.DataFormatException;
import io.remoteclip.ProgressListener;
import io.remoteclip.RemoteClipException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.EmbeddingBatch;
import io.remoteclip.encode.ImageEncoding;
import io.remoteclip.geo.Georeferencing;
import io.remoteclip.geo.LonLatBox;
import io.remoteclip.geo.Scene;
import io.remoteclip.geo.SceneWindows;
import io.remoteclip.geo.WindowGrid;
import io.remoteclip.hub.Checksums;
import io.remoteclip.image.ImageFiles;
import io.remoteclip.image.ImageSource;
import io.remoteclip.remote.RasterLocation;
import java.awt.Rectangle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opengis.referencing.operation.TransformException;

/**
 * Indexes windows of large scenes: one document per window of a {@link WindowGrid}, keyed
 * {@code scene.tif#x=..,y=..,w=..,h=..} (the scene's path relative to the indexed root), with the window's own
 * footprint (native bounds and WGS84 box), so search and geographic filters work inside scenes.
 *
 * <p>Windows are read (only the tiles they touch) and encoded through {@link ClipEncoder#embed} as
 * {@code scan} does, so a window's embedding is that of the same pixels saved as a file. Incremental per
 * scene: a scene whose windows all carry its current size and time, on the same grid, is skipped; a new time
 * with the same SHA-256 refreshes the stored fields; anything else re-embeds all its windows. The index mirrors
 * the scenes of the run: documents of other scenes (and whole-file documents) are removed, with the same guard
 * against removing most of the index as {@link ImageIndexer}.
 *
 * <p>Scenes may be remote ({@link RasterLocation}: {@code http(s)://}, {@code s3://}): keyed by their URI, read
 * by ranges, and never downloaded whole, so their change marker is the size and Last-Modified time (no
 * SHA-256). With a {@link LonLatBox}, only the windows overlapping it are indexed (and read).
 */
public final class SceneWindowIndexer {
  private static final Pattern KEY = Pattern.compile("(.+)#x=(\\d+),y=(\\d+),w=(\\d+),h=(\\d+)");

  private final ClipEncoder encoder;
  private final ImageIndexer.Options options;
  private final int window;
  private final int stride;
  private final LonLatBox box;

  public SceneWindowIndexer(ClipEncoder encoder, ImageIndexer.Options options, int window, int stride) {
    this(encoder, options, window, stride, null);
  }

  /** Indexes only the windows overlapping {@code box} (null: all windows). */
  public SceneWindowIndexer(ClipEncoder encoder, ImageIndexer.Options options, int window, int stride, LonLatBox box) {
    if (window <= 0 || stride <= 0) {
      throw new IllegalArgumentException("window and stride must be positive, got window=" + window + " stride=" + stride);
    }
    this.encoder = encoder;
    this.options = options;
    this.window = window;
    this.stride = stride;
    this.box = box;
  }

  /** The document key of window {@code w} of the scene keyed {@code sceneKey}. */
  public static String windowKey(String sceneKey, Rectangle w) {
    return sceneKey + "#x=" + w.x + ",y=" + w.y + ",w=" + w.width + ",h=" + w.height;
  }

  /** A window document's scene key and pixel window, parsed back from its key. */
  public record WindowKey(String scene, Rectangle window) {}

  /** The scene and window of a window document's key; empty for a whole-file document. */
  public static Optional<WindowKey> parse(String key) {
    Matcher m = KEY.matcher(key);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new WindowKey(m.group(1), new Rectangle(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
        Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)))));
  }

  /**
   * Scenes of the run: files as given, folders walked for TIFFs, remote URIs as given; local ones first,
   * each kind sorted, duplicates dropped.
   */
  public static List<RasterLocation> scenes(List<RasterLocation> inputs, Path exclude) throws IOException {
    List<Path> out = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    java.util.TreeMap<String, RasterLocation> remote = new java.util.TreeMap<>();
    for (RasterLocation location : inputs) {
      if (!(location instanceof RasterLocation.Local local)) {
        remote.put(location.name(), location);
        continue;
      }
      Path in = local.path();
      Path abs = in.toAbsolutePath().normalize();
      if (Files.isDirectory(abs)) {
        for (Path f : ImageFiles.list(abs, exclude)) {
          String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
          if ((n.endsWith(".tif") || n.endsWith(".tiff")) && seen.add(f)) {
            out.add(f);
          }
        }
      } else if (!Files.exists(abs)) {
        throw new NoSuchFileException(in + " (no such scene or folder)");
      } else if (seen.add(abs)) {
        out.add(InputFiles.requireRegular(abs));
      }
    }
    out.sort(null);
    List<RasterLocation> all = new ArrayList<>();
    out.forEach(p -> all.add(RasterLocation.of(p)));
    all.addAll(remote.values());
    return all;
  }

  /** The deepest folder holding every local input (a folder itself, a file's parent); the working directory if none. */
  static Path commonRoot(List<RasterLocation> inputs) {
    Path root = null;
    for (RasterLocation location : inputs) {
      if (!(location instanceof RasterLocation.Local local)) {
        continue;
      }
      Path abs = local.path().toAbsolutePath().normalize();
      Path dir = Files.isDirectory(abs) ? abs : abs.getParent();
      if (root == null) {
        root = dir;
      } else {
        while (!dir.startsWith(root)) {
          root = root.getParent();
        }
      }
    }
    return root != null ? root : Path.of("").toAbsolutePath();
  }

  /** The document key of a scene: its path relative to the root, or its URI. */
  static String sceneKey(Path root, RasterLocation scene) {
    return scene instanceof RasterLocation.Local local ? ImageIndexer.keyOf(root, local.path()) : scene.name();
  }

  private record Stat(long bytes, long mtime) {
    static Stat of(RasterLocation scene) throws IOException {
      RasterLocation.Stat s = scene.stat();
      return new Stat(s.bytes(), s.modified());
    }
  }

  private static final class Counts {
    int windows;
    int added;
    int reembedded;
    int refreshed;
    int removed;
    int unchanged;
    int commits;
    int sinceCommit;
    final List<ImageEncoding.Failure> failures = new ArrayList<>();
  }

  /** Updates (or creates) the index in {@code indexDir} with the windows of the scenes in {@code inputs}. */
  public IndexSummary update(List<Path> inputs, Path indexDir, ProgressListener progress)
      throws IOException, RemoteClipException {
    return updateScenes(inputs.stream().map(RasterLocation::of).toList(), indexDir, progress);
  }

  /** As {@link #update}, with local and remote scenes. */
  public IndexSummary updateScenes(List<RasterLocation> inputs, Path indexDir, ProgressListener progress)
      throws IOException, RemoteClipException {
    long t0 = System.nanoTime();
    Path absIndex = indexDir.toAbsolutePath().normalize();
    List<RasterLocation> files = scenes(inputs, absIndex);
    if (files.isEmpty()) {
      throw new io.remoteclip.DataFormatException(inputs.get(0) + (inputs.size() > 1 ? " and the other inputs" : "")
          + ": no scenes (.tif, .tiff)");
    }
    Path root = commonRoot(inputs);
    IndexMetadata meta = IndexMetadata.of(encoder.modelId(), encoder.towers().embedDim())
        .withModelRef(options.modelRef(), options.vocab()).withRoot(root);
    ImageIndexWriter writer = options.openWriter(indexDir, meta);
    try {
      Map<String, Map<String, ImageRecord>> byScene = new HashMap<>();
      if (writer.previous() != null) {
        try (ImageIndex old = ImageIndex.open(absIndex)) {
          for (ImageRecord r : old.records(false)) {
            String scene = parse(r.path()).map(WindowKey::scene).orElse(r.path());
            byScene.computeIfAbsent(scene, s -> new HashMap<>()).put(r.path(), r);
          }
        }
      }
      Counts c = new Counts();
      Set<String> listed = new HashSet<>();
      for (RasterLocation f : files) {
        listed.add(sceneKey(root, f));
      }
      List<String> gone = new ArrayList<>();
      int documents = 0;
      for (var e : byScene.entrySet()) {
        documents += e.getValue().size();
        if (!listed.contains(e.getKey())) {
          gone.addAll(e.getValue().keySet());
        }
      }
      PruneRefusedException.check(indexDir, root, gone.size(), documents, options.prune());
      for (String key : gone) {
        writer.delete(key);
        c.removed++;
      }
      if (c.removed > 0 || !writer.hasCommit()) {
        commit(writer, c);
      }
      progress.start("indexing windows", files.size());
      try {
        long done = 0;
        for (RasterLocation f : files) {
          String sceneKey = sceneKey(root, f);
          indexScene(absIndex, root, f, sceneKey, byScene.getOrDefault(sceneKey, Map.of()), writer, c);
          progress.update(++done);
        }
      } finally {
        progress.finish();
      }
      if (writer.hasUncommittedChanges()) {
        commit(writer, c);
      }
      IndexSummary s = new IndexSummary(c.windows, c.added, c.reembedded, c.refreshed, c.removed, c.unchanged,
          c.failures, writer.documents(), c.commits, (System.nanoTime() - t0) / 1e9);
      writer.close();
      return s;
    } catch (IOException | RemoteClipException | RuntimeException | Error e) {
      writer.abandon();
      throw e;
    }
  }

  private static void commit(ImageIndexWriter writer, Counts c) throws IOException {
    writer.commit();
    c.commits++;
    c.sinceCommit = 0;
  }

  private void indexScene(Path indexDir, Path root, RasterLocation file, String sceneKey, Map<String, ImageRecord> old,
      ImageIndexWriter writer, Counts c) throws IOException, RemoteClipException {
    Stat stat = Stat.of(file);
    try (Scene scene = Scene.open(file)) {
      if (window > scene.width() || window > scene.height()) {
        fail(c, file, "window of " + window + " px is larger than the " + scene.width() + "x" + scene.height() + " scene",
            old, writer);
        return;
      }
      WindowGrid grid = new WindowGrid(scene.width(), scene.height(), window, stride);
      int[] windows = null;
      if (box != null) {
        if (scene.georeferencing().isEmpty()) {
          fail(c, file, "--bbox needs a georeferenced scene; this one has no georeferencing", old, writer);
          return;
        }
        windows = box.windowsOf(grid, scene.georeferencing().get());
      }
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < (windows == null ? grid.count() : windows.length); i++) {
        keys.add(windowKey(sceneKey, grid.window(windows == null ? i : windows[i])));
      }
      c.windows += keys.size();
      List<String> labels = file instanceof RasterLocation.Local local ? options.labels().labelsOf(root, local.path())
          : List.of();
      boolean sameGrid = old.keySet().equals(new HashSet<>(keys));
      if (sameGrid && old.values().stream().allMatch(r -> r.bytes() == stat.bytes() && r.mtime() == stat.mtime()
          && r.labels().equals(labels))) {
        c.unchanged += keys.size();
        return;
      }
      // A remote scene is never downloaded whole to hash it: size and time are its change marker.
      String sha = file instanceof RasterLocation.Local local ? Checksums.sha256(local.path(), ProgressListener.NONE)
          : null;
      if (sha != null && sameGrid && old.values().stream().allMatch(r -> sha.equals(r.sha256()))) {
        // The map holds stored fields only; the embedding comes from the last commit.
        try (ImageIndex committed = ImageIndex.open(indexDir)) {
          for (ImageRecord r : old.values()) {
            ImageRecord full = committed.record(r.id()).orElseThrow();
            writer.put(full.withFile(stat.bytes(), stat.mtime(), labels, r.footprint()));
            c.refreshed++;
          }
        }
        return;
      }
      for (String key : old.keySet()) {
        writer.delete(key);
      }
      embed(scene, grid, windows, keys, stat, sha, labels, writer, c, !old.isEmpty());
    } catch (DataFormatException e) {
      fail(c, file, e.getMessage(), old, writer);
    } catch (TransformException e) {
      fail(c, file, "cannot reproject window corners to WGS84 for --bbox: " + e.getMessage(), old, writer);
    }
  }

  /** An unreadable scene: reported, and its old windows (of content that may no longer exist) removed. */
  private static void fail(Counts c, RasterLocation file, String message, Map<String, ImageRecord> old,
      ImageIndexWriter writer) throws IOException {
    c.failures.add(new ImageEncoding.Failure(failurePath(file), (message.startsWith(file.name() + ": ") ? ""
        : file + ": ") + message));
    for (String key : old.keySet()) {
      writer.delete(key);
      c.removed++;
    }
  }

  /** What a failure names as its file: the path, or the URI as a path-like name for messages. */
  private static Path failurePath(RasterLocation file) {
    return file instanceof RasterLocation.Local local ? local.path() : Path.of(file.fileName());
  }

  private void embed(Scene scene, WindowGrid grid, int[] windows, List<String> keys, Stat stat, String sha,
      List<String> labels, ImageIndexWriter writer, Counts c, boolean replaces) throws IOException, RemoteClipException {
    Georeferencing geo = scene.georeferencing().orElse(null);
    int batch = Math.max(1, Math.min(encoder.batchSize(), options.commitEvery()));
    try {
      encoder.embed(SceneWindows.of(scene, grid, windows, encoder.bands()), ImageSource::name, encoder::decode, batch, (EmbeddingBatch<ImageSource> b) -> {
        for (EmbeddingBatch.Failure<ImageSource> f : b.failures()) {
          c.failures.add(new ImageEncoding.Failure(failurePath(scene.location()), f.message()));
        }
        for (EmbeddingBatch.Row<ImageSource> row : b.rows()) {
          int i = (int) row.index();
          Rectangle w = grid.window(windows == null ? i : windows[i]);
          writer.put(new ImageRecord(keys.get((int) row.index()), encoder.modelId(), w.width, w.height, stat.bytes(),
              stat.mtime(), sha, labels, footprint(w, geo), row.embedding()));
          if (replaces) {
            c.reembedded++;
          } else {
            c.added++;
          }
          if (++c.sinceCommit >= options.commitEvery()) {
            commit(writer, c);
          }
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (SceneWindows.ReadFailure e) {
      throw e.failure();
    }
  }

  private static GeoFootprint footprint(Rectangle w, Georeferencing geo) {
    if (geo == null) {
      return null;
    }
    try {
      return GeoFootprint.of(w, geo);
    } catch (TransformException e) {
      return null;
    }
  }


}
