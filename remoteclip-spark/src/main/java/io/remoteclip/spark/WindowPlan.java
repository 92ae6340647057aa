package io.remoteclip.spark;

import io.remoteclip.DataFormatException;
import io.remoteclip.geo.WindowGrid;
import io.remoteclip.index.SceneWindowIndexer;
import io.remoteclip.spark.SceneHeaders.Header;
import io.remoteclip.spark.WindowPartition.Split;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code embed --window N}: one row per window of a grid over each scene, keyed by its path
 * {@code scene.tif#x=..,y=..,w=..,h=..} (the key {@code index --window} gives it), with the window's footprint.
 *
 * <p>The driver reads nothing: the scene headers are read by tasks ({@link SceneHeaders}) and collected, and the
 * windows are cut into (scene, windows) splits of about equal size, several per task slot, so a large scene is
 * spread over the executors and each reads only its windows ({@link WindowPartition}). With {@code --bbox} only
 * the windows meeting the box are planned (the header tasks select them), so the others are never read.
 *
 * <p>Incremental as the whole-file job: a window whose path the table holds with its scene's current length and
 * time is not read at all, and a window read again (its scene was touched) whose content id and path the table
 * holds is not added twice. A window's {@code id} is the SHA-256 of its samples ({@code WindowPixels.sha256}),
 * its {@code length} and {@code mtime_ms} those of its scene.
 */
final class WindowPlan {
  /** The encode stage's rows, and how many windows (and unreadable scenes) the run covers. */
  record Planned(Dataset<Row> encoded, long items, int scenes) {}

  /** Splits per task slot: stragglers even out, a retried task redoes little. */
  private static final int SPLITS_PER_SLOT = 3;

  private static final StructType WINDOWS = new StructType()
      .add(Tables.PATH, DataTypes.StringType, false)
      .add(Tables.LENGTH, DataTypes.LongType, false)
      .add(Tables.MTIME_MS, DataTypes.LongType, false)
      .add("scene", DataTypes.IntegerType, false)
      .add("window", DataTypes.IntegerType, false);
  private static final int SCENE = 3;
  private static final int WINDOW = 4;

  private WindowPlan() {}

  /** {@code existing}: the table's rows so far, or null for a new table. */
  static Planned plan(SparkSession spark, EmbedJob.Request r, Dataset<Row> existing) throws IOException, DataFormatException {
    EmbedJob.Windows w = r.windows();
    List<SceneHeaders.Input> scenes = r.source().scenes(spark);
    if (scenes.isEmpty()) {
      throw new DataFormatException(r.source().given() + ": no scenes (.tif, .tiff)");
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slots = Math.max(1, spark.sparkContext().defaultParallelism());
    List<Header> headers = jsc.parallelize(scenes, Math.min(scenes.size(), slots * SPLITS_PER_SLOT))
        .mapPartitions(new SceneHeaders(w)).collect();

    List<Row> failures = new ArrayList<>();
    List<Header> readable = new ArrayList<>();
    List<Row> windows = new ArrayList<>();
    for (Header h : headers) {
      if (h.error() != null) {
        failures.add(EncodeBatches.errorRow(EncodeBatches.Prepared.failed(null, h.scene(), null, null, h.error()),
            r.model(), r.normalize()));
        continue;
      }
      WindowGrid grid = new WindowGrid(h.width(), h.height(), w.size(), w.stride());
      int[] selected = h.windows() != null ? h.windows() : java.util.stream.IntStream.range(0, grid.count()).toArray();
      for (int i : selected) {
        windows.add(RowFactory.create(SceneWindowIndexer.windowKey(h.scene(), grid.window(i)), h.length(), h.mtimeMs(),
            readable.size(), i));
      }
      readable.add(h);
    }
    long items = windows.size() + failures.size();

    List<Row> todo = windows;
    if (existing != null && !windows.isEmpty()) {
      todo = spark.createDataFrame(windows, WINDOWS)
          .join(existing.select(Tables.PATH, Tables.LENGTH, Tables.MTIME_MS), seq(Tables.PATH, Tables.LENGTH, Tables.MTIME_MS),
              "left_anti")
          .select(EmbedJob.columns(WINDOWS.fieldNames())).collectAsList();
    }
    List<Split> splits = splits(readable, todo, r.partitions() > 0 ? r.partitions() : slots * SPLITS_PER_SLOT);

    Dataset<Row> encoded = spark.createDataFrame(failures, Tables.ENCODED);
    if (!splits.isEmpty()) {
      var rows = jsc.parallelize(splits, splits.size())
          .mapPartitions(new WindowPartition(r.model(), r.normalize(), w.size(), w.stride(), r.fault()));
      Dataset<Row> read = spark.createDataFrame(rows, Tables.ENCODED);
      if (existing != null) {
        // a touched scene's windows are read again: those whose content the table has under their path stay out
        read = read.join(existing.select(Tables.ID, Tables.PATH), seq(Tables.ID, Tables.PATH), "left_anti")
            .select(EmbedJob.columns(Tables.ENCODED.fieldNames()));
      }
      encoded = encoded.unionByName(read);
    }
    return new Planned(encoded, items, headers.size());
  }

  /**
   * The windows still to embed, cut into splits of at most {@code ceil(total / tasks)} windows of one scene each,
   * in grid order (neighbouring windows share tiles: a split's reads overlap in the scene reader's tile cache).
   * {@code todo}: rows of {@link #WINDOWS}.
   */
  static List<Split> splits(List<Header> scenes, List<Row> todo, int tasks) {
    Map<Integer, List<Integer>> byScene = new LinkedHashMap<>();
    for (Row t : todo) {
      byScene.computeIfAbsent(t.getInt(SCENE), k -> new ArrayList<>()).add(t.getInt(WINDOW));
    }
    int per = (int) Math.max(1, (todo.size() + (long) tasks - 1) / Math.max(1, tasks));
    List<Split> out = new ArrayList<>();
    for (Map.Entry<Integer, List<Integer>> e : byScene.entrySet()) {
      Header h = scenes.get(e.getKey());
      List<Integer> ix = e.getValue();
      ix.sort(null);
      for (int from = 0; from < ix.size(); from += per) {
        int[] part = ix.subList(from, Math.min(ix.size(), from + per)).stream().mapToInt(Integer::intValue).toArray();
        out.add(new Split(h.scene(), h.length(), h.mtimeMs(), h.width(), h.height(), part, h.item()));
      }
    }
    return out;
  }

  private static scala.collection.immutable.Seq<String> seq(String... columns) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(columns)).toSeq();
  }
}
