package io.remoteclip.parquet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.Json;
import io.remoteclip.stac.StacFormatException;
import io.remoteclip.stac.StaticCollection;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The STAC description of embeddings tables ({@code --stac-collection}): a {@link StaticCollection} using the STAC
 * embeddings extension, whose items each carry an {@value #ASSET} asset pointing at a GeoParquet table.
 *
 * <p>A table of scene windows gets one item per scene: the scene is what a STAC search by place and time should
 * find (its footprint and acquisition time, like the source item it came from), and its rows are those of the
 * table whose {@code source} column names it. A table of whole images gets one item for the table, since single
 * images are rarely georeferenced and an item per image would describe nothing a search could use.
 *
 * <p>An item whose rows carry no acquisition time takes the time the table was written as its {@code datetime}
 * (STAC requires one) and says so with {@code remoteclip:datetime_is_processing_time}.
 */
public final class EmbeddingsStac {
  public static final String EXTENSION = "https://stac-extensions.github.io/embeddings/v0.0.1/schema.json";
  public static final String MEDIA_TYPE = "application/vnd.apache.parquet";
  public static final String ASSET = "embeddings";
  static final String STAC_VERSION = "1.0.0";

  private EmbeddingsStac() {}

  /** A committed table: where it is, its footer metadata and the rows it holds. */
  public record Table(Path file, TableMetadata metadata, TableSummary summary) {}

  /** The collection {@code id} describing {@code tables} (all of one model), written at {@code written}. */
  public static StaticCollection describe(String id, List<Table> tables, Instant written) throws StacFormatException {
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("no table to describe");
    }
    Instant now = written.truncatedTo(ChronoUnit.SECONDS);
    TableMetadata model = tables.get(0).metadata();
    List<ObjectNode> items = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    double[] bbox = null;
    Instant first = null;
    Instant last = null;
    long rows = 0;
    for (Table t : tables) {
      List<List<TableSummary.Source>> groups = t.metadata().windows()
          ? t.summary().sources().stream().map(List::of).toList() : List.of(t.summary().sources());
      for (List<TableSummary.Source> group : groups) {
        ObjectNode item = item(unique(itemId(t, group), ids), t, group, now);
        items.add(item);
        Instant[] span = span(group, now);
        first = first == null || span[0].isBefore(first) ? span[0] : first;
        last = last == null || span[1].isAfter(last) ? span[1] : last;
      }
      bbox = Geometries.union(bbox, t.summary().bbox());
      rows += t.summary().rows();
    }
    ObjectNode c = Json.mapper().createObjectNode();
    c.put("type", "Collection");
    c.put("stac_version", STAC_VERSION);
    c.putArray("stac_extensions").add(EXTENSION);
    c.put("id", id);
    c.put("title", "remoteclip embeddings (" + shortName(model) + ")");
    c.put("description", description(tables, items.size(), rows));
    // The sources' licences are not known here; "various" is STAC 1.0's word for data under several.
    c.put("license", "various");
    ObjectNode extent = c.putObject("extent");
    ArrayNode box = extent.putObject("spatial").putArray("bbox").addArray();
    for (double v : bbox == null ? new double[] {-180, -90, 180, 90} : bbox) {
      box.add(v);
    }
    // A scan whose --bbox kept no window has no item: the collection then spans the time it was written.
    extent.putObject("temporal").putArray("interval").addArray().add((first == null ? now : first).toString())
        .add((last == null ? now : last).toString());
    embeddingFields(c, model);
    return StaticCollection.of(c, items);
  }

  private static ObjectNode item(String id, Table t, List<TableSummary.Source> group, Instant now) {
    ObjectNode item = Json.mapper().createObjectNode();
    item.put("type", "Feature");
    item.put("stac_version", STAC_VERSION);
    item.putArray("stac_extensions").add(EXTENSION);
    item.put("id", id);
    double[] b = null;
    long rows = 0;
    for (TableSummary.Source s : group) {
      b = Geometries.union(b, s.bbox());
      rows += s.rows();
    }
    if (b != null) {
      ArrayNode box = item.putArray("bbox");
      for (double v : b) {
        box.add(v);
      }
      ObjectNode geometry = item.putObject("geometry");
      geometry.put("type", "Polygon");
      ArrayNode ring = geometry.putArray("coordinates").addArray();
      for (double[] p : new double[][] {{b[0], b[1]}, {b[2], b[1]}, {b[2], b[3]}, {b[0], b[3]}, {b[0], b[1]}}) {
        ring.addArray().add(p[0]).add(p[1]);
      }
    } else {
      item.putNull("geometry");
    }
    ObjectNode p = item.putObject("properties");
    Instant[] span = span(group, now);
    boolean timed = group.stream().anyMatch(s -> s.first() != null);
    if (span[0].equals(span[1])) {
      p.put("datetime", span[0].toString());
    } else {
      p.putNull("datetime");
      p.put("start_datetime", span[0].toString());
      p.put("end_datetime", span[1].toString());
    }
    p.put("created", now.toString());
    if (!timed) {
      p.put("remoteclip:datetime_is_processing_time", true);
    }
    embeddingFields(p, t.metadata());
    p.put("remoteclip:rows", rows);
    if (group.size() == 1) {
      TableSummary.Source s = group.get(0);
      p.put("remoteclip:source", s.source());
      if (s.stac() != null && s.stac().item() != null) {
        p.put("remoteclip:product_id", s.stac().item());
        putIfSet(p, "remoteclip:stac_collection", s.stac().collection());
        putIfSet(p, "remoteclip:stac_asset", s.stac().asset());
      }
    }
    ObjectNode asset = item.putObject("assets").putObject(ASSET);
    asset.put("href", t.file().toAbsolutePath().normalize().toUri().toString());
    asset.put("type", MEDIA_TYPE);
    asset.put("title", "GeoParquet 1.1 embeddings table");
    asset.put("description", group.size() == 1 && t.summary().sources().size() > 1
        ? "The rows whose source column is " + group.get(0).source() : "All rows of the table");
    asset.putArray("roles").add("data").add(ASSET);
    return item;
  }

  /** The embeddings extension's fields and the model's identity (the table's {@code remoteclip} footer key). */
  private static void embeddingFields(ObjectNode o, TableMetadata m) {
    o.put("emb:type", "chip");
    o.put("emb:dimensions", m.dimension());
    ObjectNode layout = o.putObject("emb:chip_layout");
    if (m.windows()) {
      layout.put("layout_type", "regular_grid");
      layout.putArray("chip_size").add(m.window()).add(m.window());
      layout.putArray("stride").add(m.stride()).add(m.stride());
    } else {
      layout.put("layout_type", "irregular");
    }
    o.put("data_type", "float32");
    o.put("remoteclip:model_id", m.modelId());
    putIfSet(o, "remoteclip:model_ref", m.modelRef());
    o.put("remoteclip:normalized", m.normalized());
  }

  /** The group's acquisition span, or {@code now} when no row has a time. */
  private static Instant[] span(List<TableSummary.Source> group, Instant now) {
    Instant first = null;
    Instant last = null;
    for (TableSummary.Source s : group) {
      if (s.first() != null) {
        first = first == null || s.first().isBefore(first) ? s.first() : first;
        last = last == null || s.last().isAfter(last) ? s.last() : last;
      }
    }
    return first == null ? new Instant[] {now, now} : new Instant[] {first, last};
  }

  /** The STAC item id of the scene, else its file name without extension; a whole table: its file name. */
  private static String itemId(Table t, List<TableSummary.Source> group) {
    if (group.size() == 1 && t.metadata().windows()) {
      TableSummary.Source s = group.get(0);
      if (s.stac() != null && s.stac().item() != null) {
        return s.stac().item();
      }
      return stem(s.source().replaceFirst("[?#].*$", ""));
    }
    return stem(t.file().getFileName().toString());
  }

  private static String stem(String pathOrUri) {
    String name = pathOrUri.substring(pathOrUri.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static String unique(String id, Set<String> taken) {
    String name = id;
    for (int i = 2; !taken.add(name); i++) {
      name = id + "-" + i;
    }
    return name;
  }

  private static String description(List<Table> tables, int items, long rows) {
    TableMetadata m = tables.get(0).metadata();
    String what = m.windows()
        ? String.format(Locale.ROOT, "%s (%d px, stride %d px) of %s, one item per scene", count(rows, "window"),
            m.window(), m.stride(), count(items, "scene"))
        : String.format(Locale.ROOT, "%s in %s, one item per table", count(rows, "image"), count(tables.size(), "table"));
    return "Image embeddings by remoteclip (" + shortName(m) + ", " + m.dimension() + " dimensions"
        + (m.normalized() ? ", L2-normalised" : "") + "): " + what + ". The rows are in each item's GeoParquet 1.1 '"
        + ASSET + "' asset" + (m.windows() ? ", where its source column names the scene." : ".");
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** The model's folder or file name when the table records where it is, else the first part of its id. */
  private static String shortName(TableMetadata m) {
    return m.modelRef() != null ? stem(m.modelRef().replaceAll("/+$", "")) : m.modelId().split("\\|", 2)[0];
  }

  private static void putIfSet(ObjectNode o, String name, String value) {
    if (value != null) {
      o.put(name, value);
    }
  }
}
