package io.remoteclip.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Checks of the GeoParquet {@code geo} footer key. The GeoParquet 1.1 metadata JSON schema is not reachable
 * offline (no package on the registries this project uses ships it), so its requirements are asserted by hand,
 * as the specification states them. Public for the CLI's and Spark's tests.
 */
public final class GeoKeys {
  private GeoKeys() {}

  /**
   * The GeoParquet 1.1 metadata schema's requirements, by hand: version, primary_column naming a column entry,
   * encoding WKB, geometry_types an array of the allowed names, bbox 4 numbers with min <= max, covering.bbox
   * with the four [column, field] paths.
   */
  public static void assertGeoParquet11(JsonNode geo) {
    assertEquals("1.1.0", geo.path("version").asText());
    String primary = geo.path("primary_column").asText();
    JsonNode column = geo.path("columns").path(primary);
    assertTrue(column.isObject(), "columns has the primary column " + primary);
    assertEquals("WKB", column.path("encoding").asText());
    assertTrue(column.path("geometry_types").isArray());
    for (JsonNode t : column.path("geometry_types")) {
      assertTrue(t.asText().matches("(Point|LineString|Polygon|MultiPoint|MultiLineString|MultiPolygon|GeometryCollection)( Z)?"),
          t.asText());
    }
    if (column.has("bbox")) {
      JsonNode b = column.path("bbox");
      assertEquals(4, b.size());
      assertTrue(b.get(0).asDouble() <= b.get(2).asDouble() && b.get(1).asDouble() <= b.get(3).asDouble(), b.toString());
    }
    if (column.has("orientation")) {
      assertEquals("counterclockwise", column.path("orientation").asText());
    }
    JsonNode covering = column.path("covering").path("bbox");
    for (String f : List.of("xmin", "ymin", "xmax", "ymax")) {
      assertEquals(2, covering.path(f).size(), "covering.bbox." + f);
      assertEquals(f, covering.path(f).get(1).asText());
      assertEquals(covering.path("xmin").get(0).asText(), covering.path(f).get(0).asText(), "one covering column");
    }
  }

}
