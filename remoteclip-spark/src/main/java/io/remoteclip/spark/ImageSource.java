package io.remoteclip.spark;

import io.remoteclip.DataFormatException;
import io.remoteclip.image.ImageFiles;
import io.remoteclip.remote.RasterLocation;
import io.remoteclip.remote.RemoteNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Where the images come from, as rows of {@link Tables#SOURCE}: a path or glob on any Hadoop file system read
 * with Spark's {@code binaryFile} source (directories recursively, image extensions only), a Parquet/CSV table or
 * a text file whose lines name the files, or images named one by one ({@code http(s)://} and {@code s3://} URIs,
 * {@code --stac} assets). Named files are read by the tasks ({@link ReadFiles}), remote ones through the
 * project's remote reading; a missing or unreadable one becomes a row with its reason.
 */
sealed interface ImageSource extends Serializable {
  /** The PATH|GLOB or table as given, for messages. */
  String given();

  Dataset<Row> read(SparkSession spark) throws IOException, DataFormatException;

  /** Files only, without their bytes (cheap: Spark prunes the content column). */
  long count(SparkSession spark) throws IOException, DataFormatException;

  /**
   * The files as scenes to read window by window (nothing is read here): folders and globs give their TIFFs
   * ({@link #SCENE_EXTENSIONS}), as {@code remoteclip index --window} walks folders; a file named alone or in a
   * table is taken whatever its name.
   */
  List<String> sceneLocations(SparkSession spark) throws IOException, DataFormatException;

  /** {@link #sceneLocations} as the header tasks take them (no STAC items but for {@link Scenes}). */
  default List<SceneHeaders.Input> scenes(SparkSession spark) throws IOException, DataFormatException {
    return sceneLocations(spark).stream().map(l -> new SceneHeaders.Input(l, null)).toList();
  }

  /** What a folder of scenes is searched for. */
  java.util.Set<String> SCENE_EXTENSIONS = java.util.Set.of("tif", "tiff");

  /** Case-insensitive glob of the image extensions: {@code *.{[jJ][pP][gG],...}}. */
  static String imageGlob() {
    return glob(ImageFiles.EXTENSIONS);
  }

  /** Case-insensitive glob of {@code extensions}. */
  static String glob(java.util.Collection<String> extensions) {
    List<String> alternatives = new ArrayList<>();
    for (String ext : new TreeSet<>(extensions)) {
      StringBuilder sb = new StringBuilder();
      for (char c : ext.toCharArray()) {
        sb.append('[').append(Character.toLowerCase(c)).append(Character.toUpperCase(c)).append(']');
      }
      alternatives.add(sb.toString());
    }
    return "*.{" + String.join(",", alternatives) + "}";
  }

  /** A path or glob read with {@code binaryFile}. */
  record Files(String location) implements ImageSource {
    @Override
    public String given() {
      return location;
    }

    @Override
    public Dataset<Row> read(SparkSession spark) throws DataFormatException {
      Dataset<Row> files = load(spark);
      Dataset<Row> rows = withoutItems(files.withColumn(Tables.SRC_READ_ERROR, functions.lit(null).cast("string")));
      String[] listed = files.inputFiles();
      if (listed.length == files.select(Tables.SRC_PATH).count()) {
        return rows;
      }
      // Spark's file scan drops empty files, so they would vanish without a row: the listing still has them, and
      // read through ReadFiles they reach the decoder and become errors-table rows like any unreadable image
      Dataset<Row> dropped = spark.createDataset(java.util.Arrays.asList(listed), Encoders.STRING())
          .filter(new EmptyFile()).toDF(Tables.SRC_PATH);
      return rows.unionByName(withoutItems(dropped).mapPartitions(new ReadFiles(), Encoders.row(Tables.SOURCE)));
    }

    /** Every listed image file, empty ones included (the scan itself skips those). */
    @Override
    public long count(SparkSession spark) throws DataFormatException {
      return load(spark).inputFiles().length;
    }

    @Override
    public List<String> sceneLocations(SparkSession spark) throws IOException, DataFormatException {
      Path p = new Path(location);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.isFile(p)) {
        return List.of(fs.makeQualified(p).toString());
      }
      return java.util.Arrays.asList(load(spark, glob(SCENE_EXTENSIONS)).inputFiles());
    }

    private Dataset<Row> load(SparkSession spark) throws DataFormatException {
      return load(spark, imageGlob());
    }

    private Dataset<Row> load(SparkSession spark, String glob) throws DataFormatException {
      try {
        return spark.read().format("binaryFile").option("recursiveFileLookup", "true")
            .option("pathGlobFilter", glob).load(location)
            .select(Tables.SRC_PATH, Tables.SRC_MTIME, Tables.SRC_LENGTH, Tables.SRC_CONTENT);
      } catch (Exception e) {
        throw SparkErrors.analysis(location, e);
      }
    }
  }

  /**
   * Images or scenes named one by one: an {@code http(s)://} or {@code s3://} URI, or the assets of
   * {@code --stac ITEMS --asset KEY} (whose item each one's rows carry). Whole images are fetched by the tasks,
   * each its own ({@link ReadFiles}); scenes are read window by window.
   */
  record Scenes(String given, List<SceneHeaders.Input> inputs) implements ImageSource {
    /** Tasks per slot: a slow or failing object holds up a small share of the images. */
    private static final int TASKS_PER_SLOT = 3;

    @Override
    public Dataset<Row> read(SparkSession spark) {
      List<Row> rows = new ArrayList<>();
      for (SceneHeaders.Input in : inputs) {
        SceneItem item = in.item();
        rows.add(item == null ? RowFactory.create(in.location(), null, null, null, null)
            : RowFactory.create(in.location(), item.productId(), item.collection(), item.asset(), item.sqlTimestamp()));
      }
      int slots = Math.max(1, spark.sparkContext().defaultParallelism());
      var located = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(rows, Math.max(1, Math.min(rows.size(), slots * TASKS_PER_SLOT)));
      return spark.createDataFrame(located, Tables.LOCATIONS).mapPartitions(new ReadFiles(), Encoders.row(Tables.SOURCE));
    }

    @Override
    public long count(SparkSession spark) {
      return inputs.size();
    }

    @Override
    public List<String> sceneLocations(SparkSession spark) {
      return inputs.stream().map(SceneHeaders.Input::location).toList();
    }

    @Override
    public List<SceneHeaders.Input> scenes(SparkSession spark) {
      return inputs;
    }
  }

  /**
   * A table (Parquet or CSV with a header) with a column of file paths or URIs, or ({@link #LINES}) a text file
   * of them, one per line (blank lines and lines starting with {@code #} left out).
   */
  record Listed(String table, String format, String pathColumn) implements ImageSource {
    /** The format of a text file listing one path or URI per line ({@code --uris FILE}). */
    static final String LINES = "lines";

    /** The images or scenes {@code file} lists, one per line. */
    static Listed lines(String file) {
      return new Listed(file, LINES, "value");
    }

    @Override
    public String given() {
      return table;
    }

    @Override
    public Dataset<Row> read(SparkSession spark) throws DataFormatException {
      Dataset<Row> paths = paths(spark);
      return withoutItems(paths).mapPartitions(new ReadFiles(), Encoders.row(Tables.SOURCE));
    }

    @Override
    public long count(SparkSession spark) throws DataFormatException {
      return paths(spark).count();
    }

    @Override
    public List<String> sceneLocations(SparkSession spark) throws DataFormatException {
      return paths(spark).as(Encoders.STRING()).collectAsList();
    }

    private Dataset<Row> paths(SparkSession spark) throws DataFormatException {
      Dataset<Row> t;
      try {
        t = switch (format.toLowerCase(Locale.ROOT)) {
          case "parquet" -> spark.read().parquet(table);
          case "csv" -> spark.read().option("header", "true").csv(table);
          case LINES -> {
            Column line = functions.trim(functions.col("value"));
            yield spark.read().text(table).select(line.as("value"))
                .where(line.notEqual("").and(functions.not(line.startsWith("#"))));
          }
          default -> throw new DataFormatException(table + ": --table-format " + format + " (expected parquet or csv)");
        };
      } catch (Exception e) {
        throw SparkErrors.analysis(table, e);
      }
      if (!List.of(t.columns()).contains(pathColumn)) {
        throw new DataFormatException(table + ": no column \"" + pathColumn + "\" (columns: " + String.join(", ", t.columns())
            + "); name the column of image paths with --path-column");
      }
      return t.select(functions.col(pathColumn).cast("string").as(Tables.SRC_PATH))
          .where(functions.col(Tables.SRC_PATH).isNotNull()).distinct();
    }
  }

  /** {@code rows} with the STAC item columns of {@link Tables#SOURCE}, null (files named by path, not by an item). */
  private static Dataset<Row> withoutItems(Dataset<Row> rows) {
    return rows.withColumn(Tables.PRODUCT_ID, functions.lit(null).cast("string"))
        .withColumn(Tables.STAC_COLLECTION, functions.lit(null).cast("string"))
        .withColumn(Tables.STAC_ASSET, functions.lit(null).cast("string"))
        .withColumn(Tables.TIMESTAMP, functions.lit(null).cast("timestamp"));
  }

  /** Keeps the paths of empty files (one status call each, on the executors). */
  final class EmptyFile implements org.apache.spark.api.java.function.FilterFunction<String> {
    @Override
    public boolean call(String location) {
      try {
        Path p = new Path(location);
        return p.getFileSystem(ReadFiles.hadoopConf()).getFileStatus(p).getLen() == 0;
      } catch (IOException e) {
        return false; // gone since the listing: nothing to report
      }
    }
  }

  /**
   * Reads each named file ({@link Tables#LOCATIONS} rows, or {@link Tables#SOURCE} ones of which the path and item
   * columns are used) whole: {@code http(s)://} and {@code s3://} URIs through the project's remote reading
   * ({@link RasterLocation#readWithStat}: time-outs, retries, at most {@link RasterLocation#MAX_WHOLE_IMAGE_BYTES}
   * as {@code remoteclip embed} fetches them), anything else through the Hadoop file system of its URI.
   */
  final class ReadFiles implements MapPartitionsFunction<Row, Row> {
    @Override
    public Iterator<Row> call(Iterator<Row> paths) {
      Configuration conf = hadoopConf();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return paths.hasNext();
        }

        @Override
        public Row next() {
          Row at = paths.next();
          String location = at.getAs(Tables.SRC_PATH);
          Object[] item = {at.getAs(Tables.PRODUCT_ID), at.getAs(Tables.STAC_COLLECTION), at.getAs(Tables.STAC_ASSET),
              at.getAs(Tables.TIMESTAMP)};
          return read(conf, location, item);
        }
      };
    }

    /** The session's Hadoop settings (spark.hadoop.*: s3a credentials and the like), as tasks see them. */
    static Configuration hadoopConf() {
      return org.apache.spark.deploy.SparkHadoopUtil.get().newConfiguration(org.apache.spark.SparkEnv.get().conf());
    }

    private static Row read(Configuration conf, String location, Object[] item) {
      try {
        if (RasterLocation.isRemote(location)) {
          RasterLocation remote = RasterLocation.parse(location);
          RasterLocation.Content c = remote.readWithStat(RasterLocation.MAX_WHOLE_IMAGE_BYTES);
          return row(remote.name(), new java.sql.Timestamp(c.stat().modified()), c.stat().bytes(), c.bytes(), null, item);
        }
        Path p = new Path(location);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus st = fs.getFileStatus(p);
        byte[] bytes = new byte[Math.toIntExact(st.getLen())];
        try (FSDataInputStream in = fs.open(p)) {
          in.readFully(0, bytes);
        }
        return row(st.getPath().toString(), new java.sql.Timestamp(st.getModificationTime()), st.getLen(), bytes, null,
            item);
      } catch (RemoteNotFoundException e) {
        return row(location, null, null, null, SparkErrors.named(location, e), item); // its message has the status
      } catch (java.io.FileNotFoundException e) {
        return row(location, null, null, null, location + ": no such file", item);
      } catch (IOException | ArithmeticException | IllegalArgumentException e) {
        return row(location, null, null, null, SparkErrors.named(location, e), item);
      } catch (OutOfMemoryError e) {
        // its bytes alone exceed the heap (the failed allocation is gone); an OOM leaving the task ends the executor
        return row(location, null, null, null, location + ": too large to read into this executor's memory", item);
      }
    }

    private static Row row(String path, java.sql.Timestamp mtime, Long length, byte[] bytes, String error, Object[] item) {
      return RowFactory.create(path, mtime, length, bytes, error, item[0], item[1], item[2], item[3]);
    }
  }
}
