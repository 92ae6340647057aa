package io.remoteclip.stac;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * A STAC Catalog: a node of a static catalog, or a STAC API's landing page (which adds {@code conformsTo}).
 * A {@code "type": "Collection"} document reads as a {@link StacCollection}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type",
    visible = true, defaultImpl = StacCatalog.class)
@JsonSubTypes({@JsonSubTypes.Type(value = StacCollection.class, name = "Collection"),
    @JsonSubTypes.Type(value = StacCatalog.class, name = "Catalog")})
@JsonPropertyOrder({"type", "stac_version", "stac_extensions", "id", "title", "description", "conformsTo", "links"})
public class StacCatalog extends StacEntity {
  @JsonProperty private String title;
  @JsonProperty private String description;
  @JsonProperty private List<String> conformsTo;

  StacCatalog() {}

  public String title() {
    return title;
  }

  public String description() {
    return description;
  }

  /** The conformance classes of a STAC API landing page (empty for a static catalog). */
  public List<String> conformsTo() {
    return conformsTo == null ? List.of() : List.copyOf(conformsTo);
  }
}
