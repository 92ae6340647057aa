package io.remoteclip.stac;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A STAC Catalog: a node of a static catalog, or a STAC API's landing page (which adds {@code conformsTo}).
 * A {@code "type": "Collection"} document reads as a {@link StacCollection}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type",
    visible = true, defaultImpl = StacCatalog.class)
@JsonSubTypes({@JsonSubTypes.Type(value = StacCollection.class, name = "Collection"),
    @JsonSubTypes.Type(value = StacCatalog.class, name = "Catalog")})
@JsonPropertyOrder({"type", "stac_version", "stac_extensions", "id", "title", "description", "conformsTo", "links"})
public class StacCatalog extends StacObject {
  @JsonProperty private String type;
  @JsonProperty("stac_version") private String stacVersion;
  @JsonProperty("stac_extensions") private List<String> stacExtensions;
  @JsonProperty private String id;
  @JsonProperty private String title;
  @JsonProperty private String description;
  @JsonProperty private List<String> conformsTo;
  @JsonProperty private List<StacLink> links;

  StacCatalog() {}

  /** {@code Catalog} or {@code Collection} (a landing page may leave it out). */
  public String type() {
    return type;
  }

  public String stacVersion() {
    return stacVersion;
  }

  public List<String> stacExtensions() {
    return stacExtensions == null ? List.of() : List.copyOf(stacExtensions);
  }

  public String id() {
    return id;
  }

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

  public List<StacLink> links() {
    return links == null ? List.of() : Collections.unmodifiableList(links);
  }

  /** Links with relation {@code rel}, in document order. */
  public List<StacLink> links(String rel) {
    return links().stream().filter(l -> rel.equals(l.rel())).toList();
  }

  /** The first link with relation {@code rel}. */
  public Optional<StacLink> link(String rel) {
    return links().stream().filter(l -> rel.equals(l.rel())).findFirst();
  }
}
