package io.remoteclip.solr;

import io.remoteclip.index.GeoFootprint;

/** A footprint as WGS84 longitude/latitude bounds, what geographic filters compare against. */
final class Wgs84Bounds {
  private Wgs84Bounds() {}

  /** {@code minLon, minLat, maxLon, maxLat}, or null when there is no footprint or it is not in WGS84. */
  static double[] of(GeoFootprint fp) {
    if (fp == null || fp.epsg() != 4326) {
      return null;
    }
    return new double[] {fp.minX(), fp.minY(), fp.maxX(), fp.maxY()};
  }
}
