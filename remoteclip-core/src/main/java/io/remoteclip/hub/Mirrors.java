package io.remoteclip.hub;

import java.net.URI;

/**
 * Applies the mirror settings to a registry URL. {@code REMOTECLIP_MIRROR} replaces the scheme and host
 * of every URL and keeps the path ({@code https://huggingface.co/chendelong/RemoteCLIP/resolve/main/x.pt}
 * becomes {@code <mirror>/chendelong/RemoteCLIP/resolve/main/x.pt}), so one static server can mirror
 * every source; {@code HF_ENDPOINT} replaces {@code https://huggingface.co} only, as huggingface_hub does.
 */
final class Mirrors {
  private static final String HUGGING_FACE = "https://huggingface.co";

  private Mirrors() {}

  static URI apply(String url, HubSettings settings) {
    String out = url;
    if (settings.mirror() != null) {
      URI u = URI.create(url);
      String rest = u.getRawPath() == null ? "" : u.getRawPath();
      if (u.getRawQuery() != null) {
        rest += "?" + u.getRawQuery();
      }
      out = settings.mirror() + rest;
    } else if (settings.hfEndpoint() != null
        && (url.startsWith(HUGGING_FACE + "/") || url.equals(HUGGING_FACE))) {
      out = settings.hfEndpoint() + url.substring(HUGGING_FACE.length());
    }
    try {
      return URI.create(out);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + out + "\" is not a valid URL", e);
    }
  }
}
