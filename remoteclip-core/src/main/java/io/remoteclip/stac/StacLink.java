package io.remoteclip.stac;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/**
 * A link: {@code rel}, {@code href}, and for STAC API paging the request to make ({@code method},
 * {@code headers}, {@code body}, {@code merge}).
 */
@JsonPropertyOrder({"rel", "href", "type", "title", "method", "headers", "body", "merge"})
public final class StacLink extends StacObject {
  @JsonProperty private String rel;
  @JsonProperty private String href;
  @JsonProperty private String type;
  @JsonProperty private String title;
  @JsonProperty private String method;
  @JsonProperty private JsonNode headers;
  @JsonProperty private JsonNode body;
  @JsonProperty private Boolean merge;

  StacLink() {}

  /** A plain link. */
  public StacLink(String rel, String href, String type) {
    this.rel = rel;
    this.href = href;
    this.type = type;
  }

  public String rel() {
    return rel;
  }

  public String href() {
    return href;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  /** The HTTP method of the request, {@code GET} when the link does not say. */
  public String method() {
    return method == null ? "GET" : method;
  }

  /** Request headers ({@code {"name": "value" or ["values"]}}), or {@code null}. */
  public JsonNode headers() {
    return headers;
  }

  /** Request body of a POST link, or {@code null}. */
  public JsonNode body() {
    return body;
  }

  /** Whether {@link #body()} is merged into the previous request's body instead of replacing it. */
  public boolean merge() {
    return Boolean.TRUE.equals(merge);
  }

  /** {@link #href()} made absolute against {@code base}, the location of the document holding the link. */
  public URI resolve(URI base) throws StacFormatException {
    return Hrefs.resolve(base, href, Hrefs.display(base), "link \"" + rel + "\"");
  }

  void href(String value) {
    href = value;
  }
}
