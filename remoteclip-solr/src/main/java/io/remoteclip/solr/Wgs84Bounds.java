package io.remoteclip.solr;

import io.remoteclip.index.GeoFootprint;

/** A footprint as WGS84 longitude/latitude bounds, what geographic filters compare against. */
final class Wgs84Bounds {
  private Wgs84Bounds() {}

  /** {@code minLon, minLat, maxLon, maxLat}, or null when there is no footprint or it could not be reprojected. */
  static double[] of(GeoFootprint fp) {
    return fp == null ? null : fp.lonLat();
  }
}
