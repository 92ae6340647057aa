/**
 * OpenAI CLIP's byte-level BPE tokenizer, bit-exact with open_clip 2.20 ({@link
 * io.remoteclip.tokenizer.ClipTokenizer}), its text cleaning ({@link io.remoteclip.tokenizer.TextCleaner})
 * and a trainer for new vocabularies in the same file format ({@link io.remoteclip.tokenizer.BpeTrainer}).
 *
 * <p>Vocabulary file format (as {@code bpe_simple_vocab_16e6.txt.gz}): UTF-8 text, optionally gzipped; line 1
 * is a header that is ignored; every further line is one merge {@code "a b"} (two symbols separated by one
 * space), in rank order. The vocabulary is implicit: the 256 byte symbols of GPT-2's byte-to-unicode map, the
 * same 256 with {@code </w>}, one entry per merge (the two symbols concatenated), then {@code
 * <start_of_text>} and {@code <end_of_text>}; so a file with {@code m} merges has {@code 512 + m + 2} ids.
 */
package io.remoteclip.tokenizer;
