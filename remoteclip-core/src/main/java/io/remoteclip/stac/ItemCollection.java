package io.remoteclip.stac;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A STAC ItemCollection: a GeoJSON FeatureCollection of items, what a STAC API's {@code /search} answers
 * (one page, with a {@code next} link while there are more) and what {@code stac search} writes.
 */
@JsonPropertyOrder({"type", "features", "links"})
public final class ItemCollection extends StacDocument {
  public static final String TYPE = "FeatureCollection";

  @JsonProperty private List<StacItem> features;

  ItemCollection() {}

  /** A FeatureCollection of {@code items}, without links (what a search or a walk writes). */
  public ItemCollection(List<StacItem> items) {
    super(TYPE);
    this.features = new ArrayList<>(items);
  }

  /** The items (empty, never {@code null}). */
  public List<StacItem> features() {
    return features == null ? List.of() : Collections.unmodifiableList(features);
  }
}
