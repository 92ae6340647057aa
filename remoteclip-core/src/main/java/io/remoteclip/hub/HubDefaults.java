package io.remoteclip.hub;

import java.util.List;

/** Values the registry falls back to when an entry leaves them out. */
final class HubDefaults {
  private HubDefaults() {}

  /** OpenAI CLIP normalisation, used by every OpenAI-initialised checkpoint. */
  static final List<Double> CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);

  static final List<Double> CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);

  /** Registry name of the OpenAI CLIP BPE vocabulary. */
  static final String CLIP_VOCABULARY = "clip-bpe";

  static final String PROMPT_SET = "remote-sensing";
}
