package io.remoteclip.cli;

import io.remoteclip.RemoteClipException;
import io.remoteclip.index.ImageIndex;
import io.remoteclip.index.SearchBackend;
import io.remoteclip.solr.SolrSearchBackend;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;

/** The one place search and serve choose their store: the embedded index ({@code --index}) or SolrCloud ({@code --solr}). */
final class SearchBackends {
  private SearchBackends() {}

  static SearchBackend open(Path index, SolrOptions solr, CommandLine cmd) throws IOException, RemoteClipException {
    if ((index == null) == !solr.given()) {
      throw new CommandLine.ParameterException(cmd, "give --index IDX or --solr URL --collection NAME (one of them)");
    }
    return index != null ? ImageIndex.open(index) : SolrSearchBackend.open(solr.target(cmd));
  }

  /** How messages name the store: the index directory or {@code collection@url}. */
  static String describe(Path index, SolrOptions solr) {
    return index != null ? index.toString() : solr.collection + "@" + solr.urls;
  }
}
