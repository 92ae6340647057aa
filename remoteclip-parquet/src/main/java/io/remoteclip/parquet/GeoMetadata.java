package io.remoteclip.parquet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The GeoParquet {@code geo} footer key: version 1.1.0, one WKB geometry column in OGC:CRS84 (the default
 * when {@code crs} is absent, so it is left out), its geometry types, the file's bounding box and the
 * {@code bbox} covering struct. {@link #parse} reads what other writers put there (1.0 and 1.1), keeping only
 * what a reader of embedding tables needs: which column, that it is WKB, and that it is longitude/latitude.
 *
 * @param primaryColumn the geometry column
 * @param geometryTypes e.g. {@code ["Polygon"]}; empty when unknown
 * @param bbox {@code xmin, ymin, xmax, ymax} of every geometry in the file, or null (none, or not given)
 * @param covering the bbox struct column of a 1.1 covering, or null
 */
public record GeoMetadata(String version, String primaryColumn, List<String> geometryTypes, double[] bbox, String covering) {
  /** The footer key GeoParquet readers look for. */
  public static final String KEY = "geo";
  public static final String VERSION = "1.1.0";
  private static final Set<String> LON_LAT = Set.of("OGC:CRS84", "EPSG:4326", "OGC:CRS84h", "EPSG:4979");

  public GeoMetadata {
    geometryTypes = List.copyOf(geometryTypes);
    bbox = bbox == null ? null : bbox.clone();
  }

  /** What this project writes: version 1.1.0, WKB, CRS84, counter-clockwise rings, a covering when given. */
  public static GeoMetadata of(String column, List<String> geometryTypes, double[] bbox, String covering) {
    return new GeoMetadata(VERSION, column, geometryTypes, bbox, covering);
  }

  @Override
  public double[] bbox() {
    return bbox == null ? null : bbox.clone();
  }

  /** The JSON value of the footer key. */
  public String toJson() {
    ObjectNode geo = Json.mapper().createObjectNode();
    geo.put("version", version);
    geo.put("primary_column", primaryColumn);
    ObjectNode column = geo.putObject("columns").putObject(primaryColumn);
    column.put("encoding", "WKB");
    ArrayNode types = column.putArray("geometry_types");
    geometryTypes.forEach(types::add);
    column.put("orientation", "counterclockwise");
    if (bbox != null) {
      ArrayNode b = column.putArray("bbox");
      for (double v : bbox) {
        b.add(v);
      }
    }
    if (covering != null) {
      ObjectNode box = column.putObject("covering").putObject("bbox");
      for (String f : List.of("xmin", "ymin", "xmax", "ymax")) {
        box.putArray(f).add(covering).add(f);
      }
    }
    try {
      return Json.mapper().writeValueAsString(geo);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a {@code geo} value; {@code file} names the table in messages.
   *
   * @throws DataFormatException not JSON, no primary column, an encoding other than WKB, or a CRS other than
   *     longitude/latitude (search filters compare WGS84 coordinates)
   */
  public static GeoMetadata parse(String file, String json) throws DataFormatException {
    JsonNode geo;
    try {
      geo = Json.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new DataFormatException(file + ": the GeoParquet 'geo' metadata is not JSON: " + e.getOriginalMessage());
    }
    String primary = geo.path("primary_column").asText(null);
    JsonNode column = geo.path("columns").path(primary == null ? "" : primary);
    if (primary == null || column.isMissingNode()) {
      throw new DataFormatException(file + ": the GeoParquet 'geo' metadata names no primary geometry column");
    }
    String encoding = column.path("encoding").asText("");
    if (!encoding.equalsIgnoreCase("WKB")) {
      throw new DataFormatException(file + ": geometry column " + primary + " is encoded as " + encoding
          + "; remoteclip reads WKB geometries (GeoParquet's default encoding)");
    }
    String crs = crsName(column.get("crs"));
    if (crs != null && !LON_LAT.contains(crs)) {
      throw new DataFormatException(file + ": geometry column " + primary + " is in " + crs + "; search filters need "
          + "longitude/latitude (OGC:CRS84): reproject the table, e.g. ogr2ogr -t_srs EPSG:4326 out.parquet " + file);
    }
    List<String> types = new ArrayList<>();
    column.path("geometry_types").forEach(t -> types.add(t.asText()));
    double[] bbox = null;
    if (column.path("bbox").size() == 4) {
      bbox = new double[4];
      for (int i = 0; i < 4; i++) {
        bbox[i] = column.path("bbox").get(i).asDouble();
      }
    }
    JsonNode xmin = column.path("covering").path("bbox").path("xmin");
    String covering = xmin.size() == 2 ? xmin.get(0).asText() : null;
    return new GeoMetadata(geo.path("version").asText(""), primary, types, bbox, covering);
  }

  /** "AUTHORITY:CODE" of a PROJJSON {@code id}, or of a CRS given as text; null when absent (CRS84) or unknown. */
  private static String crsName(JsonNode crs) {
    if (crs == null || crs.isNull()) {
      return null; // absent means OGC:CRS84; an explicit null means "unknown" and is read as given
    }
    if (crs.isTextual()) {
      return crs.asText();
    }
    JsonNode id = crs.path("id");
    if (id.has("authority") && id.has("code")) {
      return id.get("authority").asText() + ":" + id.get("code").asText();
    }
    return crs.path("name").asText("an unidentified CRS");
  }
}
