package io.remoteclip.stac;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.net.URI;
import java.util.List;

/** An asset: where some bytes of an item live ({@code href}) and what they are ({@code type}, {@code roles}). */
@JsonPropertyOrder({"href", "type", "title", "description", "roles"})
public final class StacAsset extends StacObject {
  @JsonProperty private String href;
  @JsonProperty private String type;
  @JsonProperty private String title;
  @JsonProperty private String description;
  @JsonProperty private List<String> roles;

  StacAsset() {}

  public StacAsset(String href, String type) {
    this.href = href;
    this.type = type;
  }

  public String href() {
    return href;
  }

  /** The media type, e.g. {@code image/tiff; application=geotiff; profile=cloud-optimized}, or {@code null}. */
  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public String description() {
    return description;
  }

  public List<String> roles() {
    return roles == null ? List.of() : List.copyOf(roles);
  }

  /** {@link #href()} made absolute against {@code base}, the location of the item. */
  public URI resolve(URI base) throws StacFormatException {
    return Hrefs.resolve(base, href, Hrefs.display(base), "asset href");
  }

  void href(String value) {
    href = value;
  }
}
