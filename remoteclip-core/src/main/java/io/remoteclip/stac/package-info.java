/**
 * STAC (SpatioTemporal Asset Catalog) 1.0: Jackson models that keep every field they do not name
 * (extensions round-trip), an item-search client for STAC APIs ({@link io.remoteclip.stac.StacApiClient}: GET
 * and POST, {@code next} links, the landing page's {@code conformsTo}), a walker for static catalogs
 * ({@link io.remoteclip.stac.StaticCatalog}), and the list of scenes an ItemCollection names for one asset key
 * ({@link io.remoteclip.stac.StacScenes}). Documents in, URIs and metadata out: a leaf that reads no pixels.
 */
package io.remoteclip.stac;
