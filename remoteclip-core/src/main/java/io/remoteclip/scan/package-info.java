/**
 * Search inside large scenes: a sliding window over a {@link io.remoteclip.geo.Scene}, each window encoded
 * through the encoding seam exactly as the same pixels saved as a file would be, scored against text queries or
 * zero-shot labels, and written as GeoJSON footprints, a georeferenced heat map and a quick-look.
 */
package io.remoteclip.scan;
