package io.remoteclip.cli;

import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.index.IndexMetadata;
import io.remoteclip.solr.Configset;
import io.remoteclip.solr.SolrCollections;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Uploads the project's configset for a model and creates a collection with it. */
@Command(name = "create-collection", mixinStandardHelpOptions = true,
    description = "Uploads remoteclip's configset (id, path, labels, model identity, width, height, indexed time, "
        + "an HNSW 'embedding' vector field with the model's dimension, the footprint as a spatial field) and "
        + "creates the collection. The collection then accepts only this model's embeddings.")
public final class CreateCollectionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SolrOptions solr;
  @Mixin ModelOptions model;

  @Option(converter = Ranges.Positive.class, names = "--shards", defaultValue = "2",
      description = "Shards (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int shards;

  @Option(converter = Ranges.Positive.class, names = "--replicas", defaultValue = "2",
      description = "Replicas per shard (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int replicas;

  @Option(names = "--similarity", defaultValue = "dot_product", paramLabel = "dot_product|cosine",
      description = "Vector similarity; embeddings are stored L2-normalised, so both rank alike (default: ${DEFAULT-VALUE}).")
  String similarity;

  @Option(converter = Ranges.Positive.class, names = "--hnsw-m", defaultValue = "32",
      description = "HNSW max connections (default: ${DEFAULT-VALUE}, as the embedded index)." + Ranges.Positive.HELP)
  int hnswM;

  @Option(converter = Ranges.Positive.class, names = "--hnsw-beam", defaultValue = "200",
      description = "HNSW beam width at build time (default: ${DEFAULT-VALUE})." + Ranges.Positive.HELP)
  int hnswBeam;

  @Option(names = "--from-parquet", paramLabel = "TABLE",
      description = "Instead of --model: the model and dimension of this embeddings table (for a third-party GeoParquet "
          + "table, whose model remoteclip cannot load; then fill it with index --from-parquet).")
  String fromParquet;

  @Option(names = "--embedding-column", paramLabel = "NAME",
      description = "With --from-parquet: the embedding column of a third-party table (default: embedding, else embeddings).")
  String embeddingColumn;

  @Override
  public Integer call() throws Exception {
    Configset.Similarity sim;
    try {
      sim = Configset.Similarity.valueOf(similarity.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--similarity must be dot_product or cosine (got " + similarity + ")");
    }
    var target = solr.target(spec.commandLine());
    IndexMetadata metadata;
    if (fromParquet != null) {
      try (var rows = ParquetTables.open(fromParquet, embeddingColumn, null, spec.commandLine().getErr())) {
        metadata = IndexMetadata.of(rows.metadata().modelId(), rows.metadata().dimension())
            .withModelRef(rows.metadata().modelRef(), rows.metadata().vocab());
      }
    } else {
      try (ClipEncoder encoder = model.open()) {
        metadata = IndexMetadata.of(encoder.modelId(), encoder.model().embedDim())
            .withModelRef(IndexModels.reference(model), IndexModels.vocabReference(model));
      }
    }
    Configset configset = new Configset(metadata.dimension(), sim, hnswM, hnswBeam);
    try (CloudSolrClient client = target.open()) {
      SolrCollections.CollectionInfo info;
      try {
        info = SolrCollections.create(client, solr.collection, configset, metadata, shards, replicas);
      } catch (SolrServerException | RuntimeException e) {
        // as SolrSearchBackend.open: SolrJ reports a cluster it cannot reach as these (an I/O error, exit 74)
        throw SolrCollections.unreachable(target, e);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf("created collection %s: %d shard(s) x %d replica(s), %d-dimensional %s vectors of %s%n", info.name(),
          info.shards(), info.replicas(), info.dimension(), similarity, info.modelId());
      out.flush();
    }
    return 0;
  }
}
