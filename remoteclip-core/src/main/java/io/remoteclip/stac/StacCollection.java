package io.remoteclip.stac;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Map;

/** A STAC Collection: a catalog with a licence, an extent and collection-level assets. */
@JsonPropertyOrder({"type", "stac_version", "stac_extensions", "id", "title", "description", "license", "extent",
    "links", "assets"})
public final class StacCollection extends StacCatalog {
  @JsonProperty private String license;
  @JsonProperty private JsonNode extent;
  @JsonProperty private Map<String, StacAsset> assets;

  StacCollection() {}

  public String license() {
    return license;
  }

  /** {@code {"spatial": {"bbox": …}, "temporal": {"interval": …}}} as written, or {@code null}. */
  public JsonNode extent() {
    return extent;
  }

  public Map<String, StacAsset> assets() {
    return assets == null ? Map.of() : Collections.unmodifiableMap(assets);
  }
}
