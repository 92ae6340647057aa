package io.remoteclip.tokenizer;

import io.remoteclip.DataFormatException;
import io.remoteclip.ModelNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Picks a model's tokenizer from its files and layout, so that loading code calls one method:
 * <ul>
 *   <li>a CLIP BPE vocabulary ({@code bpe_simple_vocab_16e6.txt.gz}, a Hugging Face CLIP {@code merges.txt}):
 *       {@link ClipTokenizer};
 *   <li>a {@code spiece.model} or {@code tokenizer.json} of an open_clip-layout model: open_clip's pipeline,
 *       {@link FastUnigramTokenizer} with {@link OpenClipCleaning#CANONICALIZE};
 *   <li>a {@code spiece.model} of a Hugging Face directory: transformers' {@link SiglipTokenizer}, configured by
 *       the {@code tokenizer_config.json} beside it; a directory with only a {@code tokenizer.json}: that
 *       pipeline without cleaning, as transformers' fast tokenizers run it.
 * </ul>
 * The kind of a file is told by its content (gzip or "#version" text: BPE; a JSON object: tokenizer.json;
 * anything else must parse as a SentencePiece model), so a file that is none of them is refused as "not a
 * SentencePiece model" naming it.
 */
public final class Tokenizers {
  /** How a model was published, which decides the SentencePiece pipeline. */
  public enum Layout {
    /** open_clip checkpoints ({@code open_clip_config.json}, {@code hf_tokenizer_name}). */
    OPEN_CLIP,
    /** transformers model directories ({@code config.json}, {@code tokenizer_config.json}). */
    HUGGING_FACE
  }

  /** What a tokenizer file holds. */
  public enum Format { CLIP_BPE, SENTENCEPIECE, TOKENIZER_JSON }

  private static final String SPIECE = "spiece.model";
  private static final String TOKENIZER_JSON = "tokenizer.json";
  private static final String TOKENIZER_CONFIG = TokenizerConfig.FILE_NAME;

  private Tokenizers() {}

  /**
   * The tokenizer for {@code fileOrDirectory} (a vocabulary file, or a model directory holding one) under
   * {@code layout}, at its default context length (77 for CLIP, the config's or 64 for SigLIP); callers set the
   * model's with {@link TextTokenizer#withContextLength}.
   *
   * @throws ModelNotFoundException if the file does not exist or the directory holds no tokenizer file
   * @throws DataFormatException naming the file if it is not a tokenizer this project reads
   */
  public static TextTokenizer forModel(Path fileOrDirectory, Layout layout)
      throws ModelNotFoundException, DataFormatException {
    if (Files.isDirectory(fileOrDirectory)) {
      return forDirectory(fileOrDirectory, layout);
    }
    switch (detect(fileOrDirectory)) {
      case CLIP_BPE:
        return ClipTokenizer.load(fileOrDirectory);
      case TOKENIZER_JSON:
        return fast(fileOrDirectory, layout == Layout.OPEN_CLIP ? OpenClipCleaning.CANONICALIZE : null);
      default:
        if (layout == Layout.OPEN_CLIP) {
          return fast(fileOrDirectory, OpenClipCleaning.CANONICALIZE);
        }
        Path config = sibling(fileOrDirectory, TOKENIZER_CONFIG);
        return SiglipTokenizer.load(fileOrDirectory, Files.isRegularFile(config) ? config : null);
    }
  }

  /** open_clip's tokenizer with another cleaning (a config's {@code tokenizer_kwargs.clean}). */
  public static TextTokenizer openClip(Path file, OpenClipCleaning cleaning)
      throws ModelNotFoundException, DataFormatException {
    if (detect(file) == Format.CLIP_BPE) {
      return ClipTokenizer.load(file);
    }
    return fast(file, cleaning);
  }

  /** What {@code file} holds, told by its first bytes (see the class documentation). */
  public static Format detect(Path file) throws ModelNotFoundException, DataFormatException {
    if (!Files.exists(file)) {
      throw new ModelNotFoundException(file + ": tokenizer file not found");
    }
    if (Files.isDirectory(file)) {
      throw new DataFormatException(file + ": is a directory, not a tokenizer file");
    }
    byte[] head = new byte[16];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new DataFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (n >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
      return Format.CLIP_BPE;
    }
    String start = new String(head, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\u00EF\u00BB\u00BF", "");
    if (start.startsWith("#version")) {
      return Format.CLIP_BPE;
    }
    if (start.stripLeading().startsWith("{")) {
      return Format.TOKENIZER_JSON;
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".txt") || name.endsWith(".txt.gz")) {
      return Format.CLIP_BPE;
    }
    return Format.SENTENCEPIECE;
  }

  private static TextTokenizer forDirectory(Path dir, Layout layout)
      throws ModelNotFoundException, DataFormatException {
    Path spiece = dir.resolve(SPIECE);
    Path json = dir.resolve(TOKENIZER_JSON);
    Path merges = dir.resolve("merges.txt");
    if (layout == Layout.HUGGING_FACE) {
      if (Files.isRegularFile(spiece)) {
        Path config = dir.resolve(TOKENIZER_CONFIG);
        return SiglipTokenizer.load(spiece, Files.isRegularFile(config) ? config : null);
      }
      if (Files.isRegularFile(json)) {
        return fast(json, null);
      }
      if (Files.isRegularFile(merges)) {
        return ClipTokenizer.load(merges);
      }
    } else {
      for (Path p : new Path[] {json, spiece}) {
        if (Files.isRegularFile(p)) {
          return fast(p, OpenClipCleaning.CANONICALIZE);
        }
      }
      for (String name : new String[] {"bpe_simple_vocab_16e6.txt.gz", "bpe_simple_vocab_16e6.txt", "merges.txt"}) {
        if (Files.isRegularFile(dir.resolve(name))) {
          return ClipTokenizer.load(dir.resolve(name));
        }
      }
    }
    throw new ModelNotFoundException(dir + ": no tokenizer file in the directory (looked for " + SPIECE + ", "
        + TOKENIZER_JSON + ", merges.txt)");
  }

  /**
   * The tokenizers-library pipeline of a {@code spiece.model} or {@code tokenizer.json} with {@code cleaning}
   * (null: none); pad token and context length from a {@code tokenizer_config.json} beside it, else {@code </s>}
   * and 64.
   */
  static FastUnigramTokenizer fast(Path file, OpenClipCleaning cleaning)
      throws ModelNotFoundException, DataFormatException {
    Format format = detect(file);
    if (format == Format.CLIP_BPE) {
      throw new DataFormatException(file + ": is a CLIP BPE vocabulary, not a SentencePiece model or tokenizer.json");
    }
    TokenizerConfig config = TokenizerConfig.besides(file);
    UnigramPipeline pipeline;
    if (format == Format.TOKENIZER_JSON) {
      pipeline = TokenizerJson.read(file);
    } else {
      SentencePieceModel model = SentencePieceModel.read(file);
      int eos = model.idOf(TokenizerConfig.token(config, "eos_token", "</s>"));
      pipeline = UnigramPipeline.fromSentencePiece(model, eos >= 0 ? eos : model.eosId());
    }
    int[] suffix = pipeline.suffixIds();
    int pad = pipeline.idOf(TokenizerConfig.token(config, "pad_token", "</s>"));
    if (pad < 0) {
      pad = suffix.length > 0 ? suffix[suffix.length - 1] : 0;
    }
    int length = TokenizerConfig.maxLength(config, FastUnigramTokenizer.DEFAULT_CONTEXT_LENGTH);
    return new FastUnigramTokenizer(pipeline, cleaning, pad, length);
  }

  private static Path sibling(Path file, String name) {
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of(name) : parent.resolve(name);
  }
}
