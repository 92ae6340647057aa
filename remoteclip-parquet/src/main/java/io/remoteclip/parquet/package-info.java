/**
 * GeoParquet 1.1 embedding tables: the layout ({@link io.remoteclip.parquet.EmbeddingSchema}), its writer
 * ({@link io.remoteclip.parquet.GeoParquetWriter}), the footer keys ({@link io.remoteclip.parquet.GeoMetadata}
 * for {@code geo}, {@link io.remoteclip.parquet.TableMetadata} for the model), adding them to files another
 * writer made ({@link io.remoteclip.parquet.FooterMetadata}, for Spark), and reading ours, remoteclip-spark's and
 * third-party tables as index records ({@link io.remoteclip.parquet.GeoParquetEmbeddings}). Sits above
 * remoteclip-core (geometry from {@code geo}, records of {@code index}) and below the CLI and the Spark jobs, so
 * Hadoop's Parquet stays out of the core.
 */
package io.remoteclip.parquet;
