/**
 * Checkpoint layouts: which files make a model and how their names and contents map onto the towers' (open_clip's)
 * names — open_clip state dicts and training checkpoints, zips of them, and transformers model folders (CLIPModel,
 * SiglipModel; single, sharded or {@code pytorch_model.bin}) — with the preprocessing and tokenizer the files imply.
 * {@link io.remoteclip.layout.ModelCheckpoint#read} is the one entry point; file formats, wrappers and prefixes are
 * {@link io.remoteclip.checkpoint}'s.
 */
package io.remoteclip.layout;
