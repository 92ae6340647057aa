package io.remoteclip.cli;

import io.remoteclip.cli.common.Ranges;
import io.remoteclip.solr.SolrTarget;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the SolrCloud collection is and how to reach it: the options every {@code --solr} command shares. */
public final class SolrOptions {
  @Option(names = "--solr", paramLabel = "URL[,URL...]",
      description = "SolrCloud node URL(s), e.g. http://localhost:8983/solr (the client discovers the other nodes).")
  String urls;

  @Option(names = "--collection", paramLabel = "NAME", description = "SolrCloud collection (with --solr).")
  String collection;

  @Option(names = "--solr-user", paramLabel = "USER", description = "Basic-auth user (password from --solr-password "
      + "or the REMOTECLIP_SOLR_PASSWORD environment variable).")
  String user;

  @Option(names = "--solr-password", paramLabel = "PASSWORD", description = "Basic-auth password.")
  String password;

  @Option(converter = Ranges.Positive.class, names = "--solr-connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Connection timeout (default: ${DEFAULT-VALUE} s)." + Ranges.Positive.HELP)
  int connectTimeout;

  @Option(converter = Ranges.Positive.class, names = "--solr-timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "Request timeout (default: ${DEFAULT-VALUE} s)." + Ranges.Positive.HELP)
  int requestTimeout;

  /** True when the command was pointed at SolrCloud. */
  public boolean given() {
    return urls != null || collection != null;
  }

  /** The target, or a usage error naming the bad or missing option. */
  public SolrTarget target(picocli.CommandLine cmd) {
    if (urls == null || collection == null) {
      throw new picocli.CommandLine.ParameterException(cmd, "SolrCloud needs both --solr URL and --collection NAME");
    }
    try {
      return target();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(cmd, e.getMessage());
    }
  }

  SolrTarget target() {
    String pw = password != null ? password : user == null ? null : System.getenv("REMOTECLIP_SOLR_PASSWORD");
    if (user != null && pw == null) {
      throw new IllegalArgumentException("--solr-user needs --solr-password or REMOTECLIP_SOLR_PASSWORD");
    }
    return new SolrTarget(List.of(urls.split(",")), collection, user, pw, Duration.ofSeconds(connectTimeout),
        Duration.ofSeconds(requestTimeout));
  }
}
