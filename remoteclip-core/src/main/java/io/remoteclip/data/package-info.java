/**
 * Data scaling (SPEC §5): turning detection boxes and segmentation masks into image–caption training data.
 *
 * <p>{@code annotation} reads the formats into one model, {@code m2b} derives boxes from masks,
 * {@code caption} writes B2C captions, {@code tile} cuts large scenes, {@code dedup} removes near-duplicate
 * images, {@code build} assembles the output data set and {@code counting} builds counting benchmarks.
 * Images are read through {@link io.remoteclip.image.ImageDecoder} (the one decoder) and handed to drawing code as
 * {@link java.awt.image.BufferedImage}s by {@link io.remoteclip.image.BufferedImages}, which also writes them.
 */
package io.remoteclip.data;
