package io.remoteclip.spark;

import io.remoteclip.DataFormatException;
import io.remoteclip.image.ImageFiles;
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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Where the images come from, as rows of {@link Tables#SOURCE}: a path or glob on any Hadoop file system read
 * with Spark's {@code binaryFile} source (directories recursively, image extensions only), or a Parquet/CSV
 * table whose path column names the files (read by the tasks; a missing file becomes a row with its reason).
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
      Dataset<Row> rows = files.withColumn(Tables.SRC_READ_ERROR, functions.lit(null).cast("string"));
      String[] listed = files.inputFiles();
      if (listed.length == files.select(Tables.SRC_PATH).count()) {
        return rows;
      }
      // Spark's file scan drops empty files, so they would vanish without a row: the listing still has them, and
      // read through ReadFiles they reach the decoder and become errors-table rows like any unreadable image
      Dataset<Row> dropped = spark.createDataset(java.util.Arrays.asList(listed), Encoders.STRING())
          .filter(new EmptyFile()).toDF(Tables.SRC_PATH);
      return rows.unionByName(dropped.mapPartitions(new ReadFiles(), Encoders.row(Tables.SOURCE)));
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
   * Scenes named one by one, read window by window only: an {@code http(s)://} or {@code s3://} URI, or the
   * assets of {@code --stac ITEMS --asset KEY} (whose item each scene's rows carry).
   */
  record Scenes(String given, List<SceneHeaders.Input> inputs) implements ImageSource {
    @Override
    public Dataset<Row> read(SparkSession spark) throws DataFormatException {
      throw wholeFiles();
    }

    @Override
    public long count(SparkSession spark) throws DataFormatException {
      throw wholeFiles();
    }

    @Override
    public List<String> sceneLocations(SparkSession spark) {
      return inputs.stream().map(SceneHeaders.Input::location).toList();
    }

    @Override
    public List<SceneHeaders.Input> scenes(SparkSession spark) {
      return inputs;
    }

    private DataFormatException wholeFiles() {
      return new DataFormatException(given + ": remote and STAC scenes are read window by window: give --window N");
    }
  }

  /** A table (Parquet or CSV with a header) with a column of file paths. */
  record Listed(String table, String format, String pathColumn) implements ImageSource {
    @Override
    public String given() {
      return table;
    }

    @Override
    public Dataset<Row> read(SparkSession spark) throws DataFormatException {
      Dataset<Row> paths = paths(spark);
      return paths.mapPartitions(new ReadFiles(), org.apache.spark.sql.Encoders.row(Tables.SOURCE));
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

  /** Reads each listed file through the Hadoop file system of its URI. */
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
          return read(conf, paths.next().getString(0));
        }
      };
    }

    /** The session's Hadoop settings (spark.hadoop.*: s3a credentials and the like), as tasks see them. */
    static Configuration hadoopConf() {
      return org.apache.spark.deploy.SparkHadoopUtil.get().newConfiguration(org.apache.spark.SparkEnv.get().conf());
    }

    private static Row read(Configuration conf, String location) {
      try {
        Path p = new Path(location);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus st = fs.getFileStatus(p);
        byte[] bytes = new byte[Math.toIntExact(st.getLen())];
        try (FSDataInputStream in = fs.open(p)) {
          in.readFully(0, bytes);
        }
        return RowFactory.create(st.getPath().toString(), new java.sql.Timestamp(st.getModificationTime()), st.getLen(),
            bytes, null);
      } catch (IOException | ArithmeticException | IllegalArgumentException e) {
        String msg = e instanceof java.io.FileNotFoundException ? "no such file" : SparkErrors.firstLine(e);
        return RowFactory.create(location, null, null, null, location + ": " + msg);
      } catch (OutOfMemoryError e) {
        // its bytes alone exceed the heap (the failed allocation is gone); an OOM leaving the task ends the executor
        return RowFactory.create(location, null, null, null, location + ": too large to read into this executor's memory");
      }
    }
  }
}
