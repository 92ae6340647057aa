/**
 * Scenes: windowed reading of large (Geo)TIFFs ({@link io.remoteclip.geo.Scene}, through Apache SIS),
 * georeferencing and reprojection to WGS84 ({@link io.remoteclip.geo.Georeferencing}), window footprints
 * ({@link io.remoteclip.geo.Footprint}), RFC 7946 GeoJSON, and GeoTIFF writing for heat maps. A leaf like
 * {@code image}: files in, pixels and coordinates out; it knows nothing of models or encoders.
 */
package io.remoteclip.geo;
