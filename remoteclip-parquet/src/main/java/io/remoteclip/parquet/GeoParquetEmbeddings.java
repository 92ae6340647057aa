package io.remoteclip.parquet;

import io.remoteclip.DataFormatException;
import io.remoteclip.FiniteRows;
import io.remoteclip.index.GeoFootprint;
import io.remoteclip.index.ImageRecord;
import io.remoteclip.index.IndexMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/**
 * Reads an embeddings table as index records, row by row: a Parquet file or a folder of part files, in one of
 * three layouts.
 *
 * <ul>
 *   <li>{@link Layout#REMOTECLIP}: what {@code embed --out X.parquet} and {@code scan} write ({@link
 *       EmbeddingSchema}); the model comes from the {@code remoteclip} footer key, so it can be loaded again.
 *   <li>{@link Layout#SPARK}: a {@code remoteclip-spark embed} table (id, path, model_id, embedding, WKT footprint).
 *   <li>{@link Layout#THIRD_PARTY}: any GeoParquet table with an embedding column (list of float or double) and a
 *       geometry column in longitude/latitude: Major TOM, Earth Index, Clay. Its model is unknown to remoteclip.
 * </ul>
 *
 * Document keys: for the first two, the source relative to the deepest folder holding every row's file when all
 * are local files (as {@code remoteclip index DIR} keys them), else the path or URI as it is, with a window
 * suffix ({@code #x=..,y=..,w=..,h=..}) for rows of scene windows; for a third-party table the id column's value.
 */
public final class GeoParquetEmbeddings implements AutoCloseable {
  /** Which writer made the table. */
  public enum Layout { REMOTECLIP, SPARK, THIRD_PARTY }

  /**
   * How to read a third-party table.
   *
   * @param embeddingColumn null: {@code embedding}, else {@code embeddings}
   * @param idColumn null: {@code unique_id}, else {@code id}, else the row's position ({@code FILE#row})
   * @param warnings hears one line per warning (a table without {@code geo} metadata, rows without geometry)
   */
  public record Options(String embeddingColumn, String idColumn, Consumer<String> warnings) {
    public static Options defaults(Consumer<String> warnings) {
      return new Options(null, null, warnings);
    }
  }

  private static final List<String> SPARK_COLUMNS = List.of("id", "path", "width", "height", "model_id", "embedding");

  private final String table;
  private final Configuration conf;
  private final List<Path> files;
  private final Layout layout;
  private final Columns columns;
  private final IndexMetadata metadata;
  private final TableMetadata tableMetadata;
  private final java.nio.file.Path root;
  private int fileIndex = -1;
  private ParquetReader<Group> reader;
  private Group next;
  private long row;
  private long rowInFile;

  /** Column names of the layout. */
  private record Columns(String key, String embedding, String geometry, String covering, MessageType projection) {}

  private GeoParquetEmbeddings(String table, Options options) throws IOException, DataFormatException {
    this.table = table;
    this.conf = new Configuration();
    this.files = files(table, conf);
    ParquetMetadata first = FooterMetadata.footer(conf, files.get(0));
    MessageType schema = first.getFileMetaData().getSchema();
    Map<String, String> kv = first.getFileMetaData().getKeyValueMetaData();
    TableMetadata ours = kv.containsKey(TableMetadata.KEY) ? TableMetadata.parse(table, kv.get(TableMetadata.KEY)) : null;
    if (ours != null && schema.containsField(EmbeddingSchema.UNIQUE_ID) && schema.containsField(EmbeddingSchema.SOURCE)) {
      layout = Layout.REMOTECLIP;
    } else if (SPARK_COLUMNS.stream().allMatch(schema::containsField)) {
      layout = Layout.SPARK;
    } else {
      layout = Layout.THIRD_PARTY;
      ours = null;
    }
    this.tableMetadata = ours;
    this.columns = columns(schema, kv, options);
    this.root = layout == Layout.THIRD_PARTY ? null : commonRoot();
    open(0);
    if (next == null) {
      close();
      throw new DataFormatException(table + ": no rows (an empty embeddings table)");
    }
    int dimension = embedding(next).length;
    String modelId;
    String modelRef = null;
    String vocab = null;
    if (layout == Layout.REMOTECLIP) {
      modelId = ours.modelId();
      modelRef = ours.modelRef();
      vocab = ours.vocab();
      if (dimension != ours.dimension()) {
        close();
        throw new DataFormatException(table + ": embedding column holds " + dimension + " values per row, its '"
            + TableMetadata.KEY + "' metadata says " + ours.dimension());
      }
    } else if (layout == Layout.SPARK) {
      modelId = next.getString("model_id", 0);
      modelRef = optString(next, "model_ref");
    } else {
      modelId = externalModelId(kv, dimension);
    }
    metadata = IndexMetadata.of(modelId, dimension).withModelRef(modelRef, vocab).withRoot(root);
  }

  /**
   * Opens {@code table} (a file, a folder of part files, or a Hadoop URI).
   *
   * @throws java.nio.file.NoSuchFileException when it does not exist
   * @throws DataFormatException not Parquet, no rows, a named or needed column missing, an embedding column of
   *     another type, or a geometry column that is not WKB in longitude/latitude
   */
  public static GeoParquetEmbeddings open(String table, Options options) throws IOException, DataFormatException {
    return new GeoParquetEmbeddings(table, options);
  }

  public Layout layout() {
    return layout;
  }

  /** The rows' model and dimension, the model's reference where the table records it, and the keys' root. */
  public IndexMetadata metadata() {
    return metadata;
  }

  /** The {@code remoteclip} footer key of a table this project wrote, or null. */
  public TableMetadata tableMetadata() {
    return tableMetadata;
  }

  /** Whether the table records how to load its model (text search works on an index of it). */
  public boolean modelLoadable() {
    return metadata.modelRef() != null;
  }

  private static List<Path> files(String table, Configuration conf) throws IOException, DataFormatException {
    Path path = new Path(table);
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      throw new java.nio.file.NoSuchFileException(table);
    }
    List<Path> out = new ArrayList<>();
    if (fs.getFileStatus(path).isDirectory()) {
      for (FileStatus s : fs.listStatus(path)) {
        String n = s.getPath().getName();
        if (s.isFile() && !n.startsWith(".") && !n.startsWith("_")) {
          out.add(s.getPath());
        }
      }
      out.sort(null);
      if (out.isEmpty()) {
        throw new DataFormatException(table + ": a folder without Parquet files");
      }
    } else {
      out.add(path);
    }
    for (Path p : out) {
      try {
        FooterMetadata.footer(conf, p);
      } catch (IOException | RuntimeException e) {
        throw new DataFormatException(p + ": not a Parquet file: " + firstLine(e));
      }
    }
    return out;
  }

  private Columns columns(MessageType schema, Map<String, String> kv, Options options) throws DataFormatException {
    if (layout == Layout.REMOTECLIP) {
      return new Columns(EmbeddingSchema.SOURCE, EmbeddingSchema.EMBEDDING, EmbeddingSchema.GEOMETRY, EmbeddingSchema.BBOX,
          project(schema, EmbeddingSchema.SOURCE, EmbeddingSchema.PIXEL_BBOX, EmbeddingSchema.UTM_CRS,
              EmbeddingSchema.UTM_FOOTPRINT, EmbeddingSchema.BBOX, EmbeddingSchema.EMBEDDING));
    }
    if (layout == Layout.SPARK) {
      List<String> want = new ArrayList<>(List.of("id", "path", "width", "height", "model_id", "model_ref", "length",
          "mtime_ms", "footprint", "crs", "footprint_wgs84", "embedding"));
      want.removeIf(c -> !schema.containsField(c));
      return new Columns("path", "embedding", null, null, project(schema, want.toArray(String[]::new)));
    }
    String embedding = pick(schema, options.embeddingColumn(), "--embedding-column", "embedding", "embeddings");
    String id = options.idColumn() != null ? pick(schema, options.idColumn(), "--id-column")
        : schema.containsField("unique_id") ? "unique_id" : schema.containsField("id") ? "id" : null;
    String geometry;
    String covering = null;
    if (kv.containsKey(GeoMetadata.KEY)) {
      GeoMetadata geo = GeoMetadata.parse(table, kv.get(GeoMetadata.KEY));
      geometry = pick(schema, geo.primaryColumn(), "its 'geo' metadata");
      covering = geo.covering() != null && schema.containsField(geo.covering()) ? geo.covering() : null;
    } else if (schema.containsField("geometry")) {
      geometry = "geometry";
      options.warnings().accept(table + ": no GeoParquet 'geo' metadata; reading column geometry as WKB in OGC:CRS84 "
          + "(longitude, latitude), as GDAL does");
    } else {
      geometry = null;
      options.warnings().accept(table + ": no GeoParquet 'geo' metadata and no geometry column; rows get no footprint "
          + "(--bbox and --intersects searches leave them out)");
    }
    if (geometry != null && !schema.getType(geometry).isPrimitive()) {
      throw new DataFormatException(table + ": geometry column " + geometry + " is not binary WKB");
    }
    List<String> want = new ArrayList<>(List.of(embedding));
    for (String c : new String[] {id, geometry, covering}) {
      if (c != null && !want.contains(c)) {
        want.add(c);
      }
    }
    return new Columns(id, embedding, geometry, covering, project(schema, want.toArray(String[]::new)));
  }

  /** {@code named} if given (it must exist), else the first of {@code defaults} the schema has. */
  private String pick(MessageType schema, String named, String what, String... defaults) throws DataFormatException {
    if (named != null) {
      if (!schema.containsField(named)) {
        throw new DataFormatException(table + ": no column " + named + " (" + what + "); columns: " + names(schema));
      }
      return named;
    }
    for (String d : defaults) {
      if (schema.containsField(d)) {
        return d;
      }
    }
    throw new DataFormatException(table + ": no column " + String.join(" or ", defaults)
        + " (name the embedding column with --embedding-column); columns: " + names(schema));
  }

  private static String names(MessageType schema) {
    List<String> n = new ArrayList<>();
    schema.getFields().forEach(f -> n.add(f.getName()));
    return String.join(", ", n);
  }

  private static MessageType project(MessageType schema, String... names) {
    List<Type> fields = new ArrayList<>();
    for (String n : names) {
      if (schema.containsField(n)) {
        fields.add(schema.getType(n));
      }
    }
    return new MessageType(schema.getName(), fields);
  }

  /**
   * A third-party model's identity: what its footer says about it (Earth Index's {@code emb} key names the
   * model), else only its width; tables of one model share it, so they can fill one index.
   */
  private static String externalModelId(Map<String, String> kv, int dimension) {
    String name = null;
    if (kv.containsKey("emb")) {
      try {
        var model = io.remoteclip.Json.mapper().readTree(kv.get("emb")).path("model");
        name = model.path("name").asText(model.path("title").asText(null));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        name = null; // not ours to judge: the table stays readable
      }
    }
    return "external:" + (name == null || name.isBlank() ? "" : name + ":") + dimension + "d";
  }

  private java.nio.file.Path commonRoot() throws IOException {
    Configuration keyOnly = new Configuration(conf);
    java.nio.file.Path common = null;
    for (Path f : files) {
      MessageType s = FooterMetadata.footer(conf, f).getFileMetaData().getSchema();
      keyOnly.set(ReadSupport.PARQUET_READ_SCHEMA, project(s, columns.key()).toString());
      try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), f).withConf(keyOnly).build()) {
        for (Group g = r.read(); g != null; g = r.read()) {
          String local = localPath(g.getString(columns.key(), 0));
          if (local == null) {
            return null;
          }
          java.nio.file.Path dir = java.nio.file.Path.of(local).getParent();
          if (common == null) {
            common = dir;
          }
          while (common != null && !dir.startsWith(common)) {
            common = common.getParent();
          }
          if (common == null) {
            return null;
          }
        }
      }
    }
    return common;
  }

  /** {@code file:/a/b.jpg} or {@code /a/b.jpg} to {@code /a/b.jpg}; null for other schemes. */
  static String localPath(String p) {
    java.net.URI uri = new Path(p).toUri();
    return uri.getScheme() == null || uri.getScheme().equals("file") ? uri.getPath() : null;
  }

  private void open(int index) throws IOException, DataFormatException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
    fileIndex = index;
    rowInFile = 0;
    if (index >= files.size()) {
      next = null;
      return;
    }
    Configuration projected = new Configuration(conf);
    MessageType s = FooterMetadata.footer(conf, files.get(index)).getFileMetaData().getSchema();
    for (Type t : columns.projection().getFields()) {
      if (!s.containsField(t.getName())) {
        throw new DataFormatException(files.get(index) + ": no column " + t.getName() + " (the table's other files have it)");
      }
    }
    projected.set(ReadSupport.PARQUET_READ_SCHEMA, columns.projection().toString());
    try {
      reader = ParquetReader.builder(new GroupReadSupport(), files.get(index)).withConf(projected).build();
      next = reader.read();
    } catch (RuntimeException e) {
      throw new DataFormatException(files.get(index) + ": unreadable Parquet: " + firstLine(e), e);
    }
    if (next == null) {
      open(index + 1);
    }
  }

  /** The next record, or null after the last. */
  public ImageRecord read() throws IOException, DataFormatException {
    if (next == null) {
      return null;
    }
    Group g = next;
    Path file = files.get(fileIndex);
    long index = rowInFile;
    String where = file + ": row " + index;
    rowInFile++;
    row++;
    try {
      next = reader.read();
    } catch (RuntimeException e) {
      throw new DataFormatException(files.get(fileIndex) + ": unreadable Parquet: " + firstLine(e), e);
    }
    if (next == null) {
      open(fileIndex + 1);
    }
    float[] e = embedding(g);
    if (e.length != metadata.dimension()) {
      throw new DataFormatException(where + ": embedding of " + e.length + " values; the table's first row has "
          + metadata.dimension());
    }
    if (!FiniteRows.isFinite(e)) {
      throw new DataFormatException(FiniteRows.problem(table, "embedding row " + (row - 1)));
    }
    return switch (layout) {
      case REMOTECLIP -> ours(g, e, where);
      case SPARK -> spark(g, e);
      case THIRD_PARTY -> thirdParty(g, e, file.getName() + "#" + index, where);
    };
  }

  /** The records as an iterator (for consumers that take one); a bad row surfaces as {@link RowException}. */
  public Iterator<ImageRecord> iterator() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public ImageRecord next() {
        try {
          ImageRecord r = read();
          if (r == null) {
            throw new NoSuchElementException();
          }
          return r;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        } catch (DataFormatException e) {
          throw new RowException(e);
        }
      }
    };
  }

  /** A bad row met through {@link #iterator()}; {@link #getCause()} is the one-line error. */
  public static final class RowException extends RuntimeException {
    RowException(DataFormatException cause) {
      super(cause.getMessage(), cause);
    }

    @Override
    public synchronized DataFormatException getCause() {
      return (DataFormatException) super.getCause();
    }
  }

  private ImageRecord ours(Group g, float[] e, String where) throws DataFormatException {
    String source = g.getString(EmbeddingSchema.SOURCE, 0);
    Group box = g.getGroup(EmbeddingSchema.PIXEL_BBOX, 0);
    int[] p = new int[4];
    for (int i = 0; i < 4; i++) {
      p[i] = box.getGroup(0, i).getInteger(0, 0);
    }
    String key = keyOf(source);
    if (tableMetadata.windows()) {
      key += "#x=" + p[0] + ",y=" + p[1] + ",w=" + (p[2] - p[0]) + ",h=" + (p[3] - p[1]);
    }
    GeoFootprint fp = null;
    String wkt = optString(g, EmbeddingSchema.UTM_FOOTPRINT);
    if (wkt != null) {
      double[] lonLat = g.getFieldRepetitionCount(EmbeddingSchema.BBOX) == 0 ? null : box(g.getGroup(EmbeddingSchema.BBOX, 0));
      double[] nat;
      try {
        nat = Geometries.box(new WKTReader().read(wkt));
      } catch (ParseException ex) {
        throw new DataFormatException(where + ": utm_footprint is not WKT: " + ex.getMessage());
      }
      String crs = optString(g, EmbeddingSchema.UTM_CRS);
      int epsg = crs != null && crs.matches("EPSG:\\d+") ? Integer.parseInt(crs.substring(5)) : 0;
      fp = new GeoFootprint(epsg, nat[0], nat[1], nat[2], nat[3], lonLat);
    }
    return new ImageRecord(key, metadata.modelId(), p[2] - p[0], p[3] - p[1], 0, 0, null, List.of(), fp, e);
  }

  private ImageRecord spark(Group g, float[] e) {
    String footprint = optString(g, "footprint");
    GeoFootprint fp = footprint == null ? null
        : GeoFootprint.fromWkt(footprint, optString(g, "crs"), doubles(g, "footprint_wgs84"));
    return new ImageRecord(keyOf(g.getString("path", 0)), g.getString("model_id", 0), g.getInteger("width", 0),
        g.getInteger("height", 0), optLong(g, "length"), optLong(g, "mtime_ms"), g.getString("id", 0), List.of(), fp, e);
  }

  private ImageRecord thirdParty(Group g, float[] e, String position, String where) throws DataFormatException {
    String key = columns.key() == null ? position : value(g, columns.key());
    if (key == null || key.isEmpty()) {
      throw new DataFormatException(where + ": no id in column " + columns.key());
    }
    double[] lonLat = null;
    if (columns.covering() != null && g.getFieldRepetitionCount(columns.covering()) > 0) {
      lonLat = box(g.getGroup(columns.covering(), 0));
    } else if (columns.geometry() != null && g.getFieldRepetitionCount(columns.geometry()) > 0) {
      try {
        Geometry geom = Geometries.read(g.getBinary(columns.geometry(), 0).getBytes());
        lonLat = Geometries.box(geom);
      } catch (ParseException | RuntimeException ex) {
        throw new DataFormatException(where + ": geometry is not WKB: " + firstLine(ex));
      }
    }
    GeoFootprint fp = lonLat == null ? null : footprint(lonLat);
    return new ImageRecord(key, metadata.modelId(), 0, 0, 0, 0, null, List.of(), fp, e);
  }

  /** Half the side of the box a point (or a line along a meridian or parallel) becomes: about 1 cm. */
  static final double POINT_RADIUS = 1e-7;

  /**
   * The WGS84 footprint of a geometry's bounds. The index stores footprints as boxes, which must have an area:
   * a point (Earth Index and others key tiles by their centre) or a meridian or parallel line becomes a box of
   * {@link #POINT_RADIUS} around it.
   */
  static GeoFootprint footprint(double[] b) {
    double[] box = b.clone();
    for (int i = 0; i < 2; i++) {
      if (box[i + 2] - box[i] < 2 * POINT_RADIUS) {
        double mid = (box[i] + box[i + 2]) / 2;
        double limit = i == 0 ? 180 : 90;
        box[i] = Math.max(-limit, mid - POINT_RADIUS);
        box[i + 2] = Math.min(limit, mid + POINT_RADIUS);
      }
    }
    return new GeoFootprint(4326, box[0], box[1], box[2], box[3], box);
  }

  private String keyOf(String source) {
    if (root == null) {
      return source;
    }
    return root.relativize(java.nio.file.Path.of(localPath(source))).toString().replace('\\', '/');
  }

  private static double[] box(Group b) {
    return new double[] {number(b, "xmin"), number(b, "ymin"), number(b, "xmax"), number(b, "ymax")};
  }

  private static double number(Group g, String field) {
    Type t = g.getType().getType(field);
    return t.asPrimitiveType().getPrimitiveTypeName() == org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FLOAT
        ? g.getFloat(field, 0) : g.getDouble(field, 0);
  }

  /** A list of numbers, three-level ({@code x.list[i].element}) or two-level ({@code x.array[i]}), float or double. */
  private float[] embedding(Group g) throws DataFormatException {
    String c = columns.embedding();
    Type t = g.getType().getType(c);
    if (t.isPrimitive() || g.getFieldRepetitionCount(c) == 0) {
      throw new DataFormatException(table + ": column " + c + " is not a list of numbers"
          + (t.isPrimitive() ? " (it is " + t.asPrimitiveType().getPrimitiveTypeName() + ")" : " (a row has none)"));
    }
    Group list = g.getGroup(c, 0);
    GroupType lt = list.getType();
    int n = list.getFieldRepetitionCount(0);
    float[] out = new float[n];
    Type repeated = lt.getType(0);
    for (int i = 0; i < n; i++) {
      if (repeated.isPrimitive()) {
        out[i] = element(list, 0, i, repeated);
      } else {
        Group item = list.getGroup(0, i);
        Type element = item.getType().getType(0);
        if (!element.isPrimitive()) {
          throw new DataFormatException(table + ": column " + c + " is a list of " + element + ", not of numbers");
        }
        out[i] = element(item, 0, 0, element);
      }
    }
    return out;
  }

  private float element(Group g, int field, int index, Type t) throws DataFormatException {
    return switch (t.asPrimitiveType().getPrimitiveTypeName()) {
      case FLOAT -> g.getFloat(field, index);
      case DOUBLE -> (float) g.getDouble(field, index);
      default -> throw new DataFormatException(table + ": column " + columns.embedding() + " holds "
          + t.asPrimitiveType().getPrimitiveTypeName() + " values; remoteclip reads lists of float or double");
    };
  }

  /** A column's value as text: strings as they are, numbers in decimal. */
  private static String value(Group g, String field) {
    if (g.getFieldRepetitionCount(field) == 0) {
      return null;
    }
    Type t = g.getType().getType(field);
    return switch (t.asPrimitiveType().getPrimitiveTypeName()) {
      case INT32 -> Integer.toString(g.getInteger(field, 0));
      case INT64 -> Long.toString(g.getLong(field, 0));
      default -> g.getString(field, 0);
    };
  }

  private static double[] doubles(Group g, String field) {
    if (!g.getType().containsField(field) || g.getFieldRepetitionCount(field) == 0) {
      return null;
    }
    Group list = g.getGroup(field, 0);
    double[] out = new double[list.getFieldRepetitionCount(0)];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.getGroup(0, i).getDouble(0, 0);
    }
    return out;
  }

  private static String optString(Group g, String field) {
    return g.getType().containsField(field) && g.getFieldRepetitionCount(field) > 0 ? g.getString(field, 0) : null;
  }

  private static long optLong(Group g, String field) {
    return g.getType().containsField(field) && g.getFieldRepetitionCount(field) > 0 ? g.getLong(field, 0) : 0;
  }

  private static String firstLine(Throwable e) {
    Throwable t = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}
