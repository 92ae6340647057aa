package io.remoteclip.stac;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A STAC ItemCollection: a GeoJSON FeatureCollection of items, what a STAC API's {@code /search} answers
 * (one page, with a {@code next} link while there are more) and what {@code stac search} writes.
 */
@JsonPropertyOrder({"type", "features", "links"})
public final class ItemCollection extends StacObject {
  public static final String TYPE = "FeatureCollection";

  @JsonProperty private String type;
  @JsonProperty private List<StacItem> features;
  @JsonProperty private List<StacLink> links;

  ItemCollection() {}

  /** A FeatureCollection of {@code items}, without links (what a search or a walk writes). */
  public ItemCollection(List<StacItem> items) {
    this.type = TYPE;
    this.features = new ArrayList<>(items);
  }

  public String type() {
    return type;
  }

  /** The items (empty, never {@code null}). */
  public List<StacItem> features() {
    return features == null ? List.of() : Collections.unmodifiableList(features);
  }

  public List<StacLink> links() {
    return links == null ? List.of() : Collections.unmodifiableList(links);
  }

  /** The first link with relation {@code rel}. */
  public Optional<StacLink> link(String rel) {
    return links().stream().filter(l -> rel.equals(l.rel())).findFirst();
  }

  /** Whether the document has a {@code features} member at all (a bare {@code {}} is no ItemCollection). */
  boolean hasFeatures() {
    return features != null;
  }
}
