package io.remoteclip.stac;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A STAC Item: a GeoJSON Feature with {@code assets}. Geometry, bbox and properties are kept as the JSON they
 * were (numbers keep their spelling, unknown properties survive); the accessors read them.
 */
@JsonPropertyOrder({"type", "stac_version", "stac_extensions", "id", "collection", "bbox", "geometry",
    "properties", "links", "assets"})
public final class StacItem extends StacEntity {
  @JsonProperty private String collection;
  @JsonProperty private JsonNode bbox;
  // GeoJSON requires the member even when it is null (an item without a footprint).
  @JsonProperty @JsonInclude(JsonInclude.Include.ALWAYS) private JsonNode geometry;
  @JsonProperty private JsonNode properties;
  @JsonProperty private Map<String, StacAsset> assets;

  StacItem() {}

  /** The {@code collection} member, or {@code null}. */
  public String collection() {
    return collection;
  }

  /** {@code [west, south, east, north]} (the 2D part of a 3D bbox), or {@code null} without a bbox. */
  public double[] bbox() {
    if (bbox == null || !bbox.isArray() || (bbox.size() != 4 && bbox.size() != 6)) {
      return null;
    }
    int half = bbox.size() / 2;
    return new double[] {bbox.get(0).asDouble(), bbox.get(1).asDouble(), bbox.get(half).asDouble(),
        bbox.get(half + 1).asDouble()};
  }

  /** The GeoJSON geometry in WGS84 longitude/latitude, or a JSON null. */
  public JsonNode geometry() {
    return geometry == null ? NullNode.getInstance() : geometry;
  }

  /** The {@code properties} object (never {@code null}: an empty object when absent). */
  public JsonNode properties() {
    return properties == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : properties;
  }

  /** A property as text, or {@code null} when absent or null. */
  public String property(String name) {
    JsonNode v = properties().get(name);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** {@code properties.datetime} as written (RFC 3339), or {@code null} (then the item gives a range). */
  public String datetime() {
    return property("datetime");
  }

  /** Assets by key, in document order. */
  public Map<String, StacAsset> assets() {
    return assets == null ? Map.of() : Collections.unmodifiableMap(assets);
  }

  /**
   * Where the relative hrefs of an item inside an ItemCollection are relative to: its own {@code self} link
   * when it has one (resolved against {@code documentLocation}), otherwise the ItemCollection's location.
   */
  public URI location(URI documentLocation) throws StacFormatException {
    Optional<StacLink> self = link("self");
    return self.isPresent() && self.get().href() != null ? self.get().resolve(documentLocation) : documentLocation;
  }

  /**
   * Makes every asset and link href absolute against {@code base}, so that the item still points at its files
   * once it is written somewhere else; {@code addSelf} adds a {@code self} link to {@code base} when the item
   * has none (for an item read from its own document, whose location {@code base} is).
   */
  void makeHrefsAbsolute(URI base, boolean addSelf) throws StacFormatException {
    for (StacAsset a : assets().values()) {
      a.href(a.resolve(base).toString());
    }
    for (StacLink l : links()) {
      if (l.href() != null) {
        l.href(l.resolve(base).toString());
      }
    }
    if (addSelf && link("self").isEmpty()) {
      addLink(new StacLink("self", base.toString(), "application/geo+json"));
    }
  }
}
