package io.remoteclip.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remoteclip.geo.Footprint;
import io.remoteclip.stac.StacItem;
import io.remoteclip.stac.StaticCollection;
import java.awt.Rectangle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Items, datetimes and extents of {@link EmbeddingsStac} from the rows a {@link GeoParquetWriter} wrote. */
class EmbeddingsStacTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T1 = Instant.parse("2024-06-01T10:20:30Z");
  private static final Instant T2 = Instant.parse("2024-06-11T10:20:30Z");
  private static final Instant WRITTEN = Instant.parse("2026-01-02T03:04:05.678Z");
  @TempDir Path tmp;

  /** A window whose WGS84 corners span [lon, lon + 0.01] x [lat, lat + 0.01]. */
  private static Footprint window(int x, double lon, double lat) {
    double[][] corners = {{lon, lat + 0.01}, {lon + 0.01, lat + 0.01}, {lon + 0.01, lat}, {lon, lat}};
    return new Footprint(new Rectangle(x, 0, 100, 100), "EPSG:4326", corners, corners);
  }

  private static EmbeddingRow row(String source, EmbeddingRow.Stac stac, Instant t, Footprint f) {
    EmbeddingRow r = EmbeddingRow.of(source, true, f, new float[] {1, 0, 0, 0});
    return new EmbeddingRow(r.uniqueId(), source, stac, t, f, r.embedding());
  }

  private EmbeddingsStac.Table windowsTable(Path file) throws Exception {
    TableMetadata meta = TableMetadata.of("model#id", "/models/m", null, 4, true).withWindows(100, 50);
    try (GeoParquetWriter w = GeoParquetWriter.create(file, meta, true)) {
      EmbeddingRow.Stac a = new EmbeddingRow.Stac("S2A_item", "sentinel-2", "visual");
      w.write(row("s3://bucket/a.tif", a, T1, window(0, 10.0, 45.0)));
      w.write(row("s3://bucket/a.tif", a, T1, window(50, 10.005, 45.0)));
      w.write(row("/data/b.tif", null, T2, window(0, 11.0, 46.0)));
      w.write(row("/data/b.tif", null, T1, window(50, 11.5, 46.5)));
      w.write(row("/data/c.tif", null, null, window(0, 12.0, 47.0)));
      w.commit();
      return new EmbeddingsStac.Table(file, meta, w.summary());
    }
  }

  @Test
  void oneItemPerSceneWithItsTimeOrTimeSpanAndBox() throws Exception {
    EmbeddingsStac.Table table = windowsTable(tmp.resolve("tables/w.parquet"));
    StaticCollection c = EmbeddingsStac.describe("coll", List.of(table), WRITTEN);
    Map<String, StacItem> items = c.items().stream().collect(Collectors.toMap(StacItem::id, Function.identity()));
    assertEquals(List.of("S2A_item", "b", "c"), c.items().stream().map(StacItem::id).toList());
    StacItem a = items.get("S2A_item");
    assertEquals(T1.toString(), a.datetime());
    assertEquals(2, a.properties().path("remoteclip:rows").asInt());
    assertEquals("sentinel-2", a.properties().path("remoteclip:stac_collection").asText());
    double[] box = a.bbox();
    assertEquals(10.0, box[0], 1e-12);
    assertEquals(45.0, box[1], 1e-12);
    assertEquals(10.015, box[2], 1e-12);
    assertEquals(45.01, box[3], 1e-12);
    StacItem b = items.get("b");
    assertEquals(null, b.datetime());
    assertEquals(T1.toString(), b.property("start_datetime"));
    assertEquals(T2.toString(), b.property("end_datetime"));
    StacItem cItem = items.get("c");
    assertEquals("2026-01-02T03:04:05Z", cItem.datetime(), "no time: when the table was written, to the second");
    assertTrue(cItem.properties().path("remoteclip:datetime_is_processing_time").asBoolean());
    assertFalse(a.properties().has("remoteclip:datetime_is_processing_time"));
    assertEquals(100, a.properties().at("/emb:chip_layout/chip_size/0").asInt());
    assertEquals(50, a.properties().at("/emb:chip_layout/stride/1").asInt());
    JsonNode extent = c.collection().extent();
    assertEquals(T1.toString(), extent.at("/temporal/interval/0/0").asText());
    assertEquals("2026-01-02T03:04:05Z", extent.at("/temporal/interval/0/1").asText());
    double[] geo = table.summary().bbox();
    for (int i = 0; i < 4; i++) {
      assertEquals(geo[i], extent.at("/spatial/bbox/0/" + i).asDouble(), 0.0);
    }
    assertEquals(12.01, extent.at("/spatial/bbox/0/2").asDouble(), 1e-12);
  }

  @Test
  void writtenFolderLinksItemsAndPointsAtTheTableRelatively() throws Exception {
    Path table = tmp.resolve("tables/w.parquet");
    StaticCollection c = EmbeddingsStac.describe("coll", List.of(windowsTable(table)), WRITTEN);
    Path dir = tmp.resolve("catalogs/coll");
    c.write(dir, false);
    JsonNode item = JSON.readTree(dir.resolve("S2A_item/S2A_item.json").toFile());
    String href = item.at("/assets/embeddings/href").asText();
    assertEquals("../../../tables/w.parquet", href);
    assertEquals(table.toAbsolutePath().normalize(), dir.resolve("S2A_item").resolve(href).normalize());
    assertEquals("coll", item.path("collection").asText());
    JsonNode collection = JSON.readTree(dir.resolve("collection.json").toFile());
    List<String> itemLinks = new java.util.ArrayList<>();
    collection.path("links").forEach(l -> {
      if (l.path("rel").asText().equals("item")) {
        itemLinks.add(l.path("href").asText());
      }
    });
    assertEquals(List.of("./S2A_item/S2A_item.json", "./b/b.json", "./c/c.json"), itemLinks);
    for (String l : itemLinks) {
      assertTrue(Files.isRegularFile(dir.resolve(l).normalize()), l);
    }
    assertFalse(Files.list(dir.getParent()).anyMatch(p -> p.getFileName().toString().startsWith(".coll")),
        "no staging directory left behind");
  }

  @Test
  void aTableWithoutRowsGivesACollectionWithoutItems() throws Exception {
    TableMetadata meta = TableMetadata.of("model#id", null, null, 4, false).withWindows(100, 100);
    Path file = tmp.resolve("empty.parquet");
    EmbeddingsStac.Table table;
    try (GeoParquetWriter w = GeoParquetWriter.create(file, meta, true)) {
      w.commit();
      table = new EmbeddingsStac.Table(file, meta, w.summary());
    }
    StaticCollection c = EmbeddingsStac.describe("empty", List.of(table), WRITTEN);
    assertEquals(0, c.items().size());
    assertEquals("2026-01-02T03:04:05Z", c.collection().extent().at("/temporal/interval/0/0").asText());
  }
}
