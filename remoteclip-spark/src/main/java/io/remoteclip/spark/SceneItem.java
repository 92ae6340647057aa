package io.remoteclip.spark;

import io.remoteclip.stac.StacScene;
import java.io.Serializable;
import java.time.Instant;

/**
 * The STAC item a scene was named by ({@code --stac ITEMS --asset KEY}), as every row of its windows carries it:
 * the columns {@code product_id}, {@code stac_collection}, {@code stac_asset} and {@code timestamp} that
 * {@code remoteclip embed --window --stac} writes.
 *
 * @param timestamp the item's datetime, null when it has none or gives a range
 */
record SceneItem(String productId, String collection, String asset, Instant timestamp) implements Serializable {
  static SceneItem of(StacScene scene) {
    return new SceneItem(scene.itemId(), scene.collection(), scene.assetKey(), scene.instant());
  }

  java.sql.Timestamp sqlTimestamp() {
    return timestamp == null ? null : java.sql.Timestamp.from(timestamp);
  }
}
