package io.remoteclip.stac;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What the STAC spec calls an entity: a Catalog, a Collection or an Item, with a version and an id. */
public abstract class StacEntity extends StacDocument {
  @JsonProperty("stac_version") private String stacVersion;
  @JsonProperty("stac_extensions") private List<String> stacExtensions;
  @JsonProperty private String id;

  StacEntity() {}

  public String stacVersion() {
    return stacVersion;
  }

  /** The schema URLs of the extensions the entity uses. */
  public List<String> stacExtensions() {
    return stacExtensions == null ? List.of() : List.copyOf(stacExtensions);
  }

  public String id() {
    return id;
  }
}
