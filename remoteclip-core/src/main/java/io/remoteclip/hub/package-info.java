/**
 * Model hub: named models, verified downloads into a local cache, and offline behaviour.
 *
 * <p>{@link io.remoteclip.hub.ModelResolver#resolve} is the entry point: it accepts a registry name
 * ({@code RemoteCLIP-ViT-B-32}), a bundled model ({@code remoteclip-mini}), a checkpoint file or a model
 * directory, and returns a {@link io.remoteclip.hub.ResolvedModel} whose files are all on local disk.
 *
 * <h2>Registry file format</h2>
 *
 * The built-in registry is the resource {@code io/remoteclip/hub/models.json}; users add or override
 * entries in {@code $REMOTECLIP_HOME/models.json} (default {@code ~/.cache/remoteclip/models.json}) with
 * the same schema. Keys starting with {@code _} are comments.
 *
 * <pre>{@code
 * {
 *   "vocabularies": [
 *     { "name": "clip-bpe",                        // letters, digits, . _ + -
 *       "description": "OpenAI CLIP BPE",           // optional
 *       "file": { "url": "https://...", "name": "bpe_simple_vocab_16e6.txt.gz",
 *                 "size": 1356917, "sha256": "9246...804a" } }
 *   ],
 *   "models": [
 *     { "name": "RemoteCLIP-ViT-B-32",             // matched case-insensitively; also the cache folder
 *       "description": "...",                       // optional
 *       "family": "clip",                           // or "siglip"; default clip
 *       "architecture": "ViT-B-32",                 // open_clip name; head counts of a named one are used
 *       "layout": "open_clip",                      // open_clip | open_clip_training | open_clip_zip | huggingface
 *       "activation": "quick_gelu",                 // or "gelu", "gelu_pytorch_tanh"; default quick_gelu
 *       "image_size": 224,                          // optional; null = from the weights' shapes
 *       "resize_mode": "shortest",                  // or "squash"; default shortest (siglip: squash)
 *       "interpolation": "bicubic",                 // or "bilinear"; default bicubic
 *       "mean": [0.48145466, 0.4578275, 0.40821073], // default: OpenAI CLIP values
 *       "std":  [0.26862954, 0.26130258, 0.27577711],
 *       "prompt_set": "remote-sensing",             // default remote-sensing
 *       "tokenizer": "clip-bpe",                    // or "siglip-open_clip", "siglip-hf" (need a "vocab" file)
 *       "vocab": "clip-bpe",                        // a vocabulary name; default clip-bpe unless a file is the vocab
 *       "weights": { "url": "https://huggingface.co/.../RemoteCLIP-ViT-B-32.pt",
 *                    "name": "RemoteCLIP-ViT-B-32.pt",   // default: last URL segment
 *                    "size": 605208421,                  // optional, null = unknown
 *                    "sha256": "6001...85c4" },          // optional, null = not verified
 *       "config": { "url": "...", "sha256": null },  // optional open_clip config JSON
 *       "license": "Apache-2.0", "source": "..." },  // optional, informative
 *     { "name": "Git-RSCLIP-base", "family": "siglip", "layout": "huggingface", ...,
 *       "files": [                                  // instead of weights/config: a model directory
 *         { "url": ".../config.json", "role": "config" },
 *         { "url": ".../model.safetensors", "sha256": "f412...", "role": "weights" },
 *         { "url": ".../spiece.model", "role": "vocab" },
 *         { "url": ".../tokenizer_config.json" } ] },   // role "file" (default): kept beside the others
 *     { "name": "remoteclip-mini", "bundled": true, ... }  // files in <repo>/models/<name>/:
 *                                                        // model.safetensors, vocab.txt.gz, config.json
 *   ]
 * }</pre>
 *
 * <h2>Cache and network</h2>
 *
 * See {@link io.remoteclip.hub.ModelCache} for the cache layout, {@link io.remoteclip.hub.HubSettings}
 * for the environment variables (offline switch, mirrors, proxy, timeouts),
 * {@link io.remoteclip.hub.Downloader} for the download guarantees of one file (resume, verification, atomic
 * rename, locking) and {@code ModelDownload} for those of a model's directory (it appears whole or not at all).
 */
package io.remoteclip.hub;
