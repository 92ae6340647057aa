package io.remoteclip.stac;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/**
 * One scene to read, named by a STAC item's asset: where its bytes are, and the item metadata every output row
 * made from it carries.
 *
 * @param href the asset's absolute URI ({@code file:}, {@code http(s):}, {@code s3:} … as the item says)
 * @param assetKey the asset key it was chosen by (e.g. {@code visual})
 * @param mediaType the asset's {@code type}, or {@code null}
 * @param itemId the item's {@code id}
 * @param collection the item's {@code collection}, or {@code null}
 * @param datetime the item's {@code properties.datetime} as written (RFC 3339), or {@code null} when the item
 *     gives a range instead ({@code start_datetime}/{@code end_datetime})
 * @param bbox the item's {@code [west, south, east, north]} in WGS84, or {@code null}
 * @param geometry the item's GeoJSON geometry (WGS84), a JSON null when it has none
 */
public record StacScene(URI href, String assetKey, String mediaType, String itemId, String collection,
    String datetime, double[] bbox, JsonNode geometry) {
  /** {@code <collection>/<item id>} or the item id alone: how messages and row ids name the scene. */
  public String name() {
    return collection == null ? itemId : collection + "/" + itemId;
  }

  /** The item's datetime as an instant, or null when it has none, gives a range, or is not RFC 3339. */
  public java.time.Instant instant() {
    if (datetime == null) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(datetime).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
