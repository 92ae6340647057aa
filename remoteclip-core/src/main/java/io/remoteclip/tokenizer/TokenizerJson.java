package io.remoteclip.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.Json;
import io.remoteclip.ModelNotFoundException;
import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a Hugging Face {@code tokenizer.json} with a Unigram model (what transformers writes for T5, SigLIP and
 * other SentencePiece tokenizers) into a {@link UnigramPipeline}. Understood: added tokens; normalizers {@code
 * Precompiled}, {@code Strip}, {@code Replace}, {@code Lowercase}, {@code NFC/NFD/NFKC/NFKD} and {@code Sequence}s
 * of them; pre-tokenizers {@code WhitespaceSplit}, {@code Metaspace} and a {@code Sequence} of them; the
 * post-processor {@code TemplateProcessing}. Anything else is refused by name rather than tokenized
 * differently.
 */
final class TokenizerJson {
  private final Path file;

  private TokenizerJson(Path file) {
    this.file = file;
  }

  static UnigramPipeline read(Path file) throws ModelNotFoundException, DataFormatException {
    if (!Files.exists(file)) {
      throw new ModelNotFoundException(file + ": tokenizer.json not found");
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new DataFormatException(file + ": not valid JSON: " + firstLine(e.getMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new DataFormatException(file + ": not a tokenizer.json (not a JSON object)");
    }
    return new TokenizerJson(file).pipeline(root);
  }

  private UnigramPipeline pipeline(JsonNode root) throws DataFormatException {
    JsonNode model = root.path("model");
    String type = model.path("type").asText("");
    if (!type.equals("Unigram")) {
      throw refuse("its model is " + (type.isEmpty() ? "missing" : type)
          + "; only Unigram (SentencePiece) tokenizer.json files are supported");
    }
    JsonNode vocabNode = model.path("vocab");
    if (!vocabNode.isArray() || vocabNode.isEmpty()) {
      throw refuse("the Unigram model has no vocab");
    }
    String[] vocab = new String[vocabNode.size()];
    double[] scores = new double[vocab.length];
    for (int i = 0; i < vocab.length; i++) {
      JsonNode e = vocabNode.get(i);
      if (!e.isArray() || e.size() != 2 || !e.get(0).isTextual() || !e.get(1).isNumber() || e.get(0).asText().isEmpty()) {
        throw refuse("vocab entry " + i + " is not [piece, score]");
      }
      vocab[i] = e.get(0).asText();
      scores[i] = e.get(1).asDouble();
    }
    if (!model.path("unk_id").canConvertToInt()) {
      throw refuse("the Unigram model has no unk_id");
    }
    int unkId = model.get("unk_id").asInt();
    if (unkId < 0 || unkId >= vocab.length) {
      throw refuse("unk_id " + unkId + " is outside the vocab of " + vocab.length);
    }
    List<UnigramPipeline.AddedToken> added = new ArrayList<>();
    for (JsonNode t : root.path("added_tokens")) {
      if (t.path("single_word").asBoolean(false)) {
        throw refuse("added token " + t.path("content").asText() + " is single_word, which is not supported");
      }
      int id = t.path("id").asInt(-1);
      String content = t.path("content").asText("");
      if (id < 0 || content.isEmpty()) {
        throw refuse("an added token has no id or content");
      }
      added.add(new UnigramPipeline.AddedToken(content, id, t.path("lstrip").asBoolean(false),
          t.path("rstrip").asBoolean(false), t.path("normalized").asBoolean(!t.path("special").asBoolean(false))));
    }
    UnaryOperator<String> normalizer = normalizer(root.path("normalizer"));
    boolean[] whitespace = {false};
    Object[] metaspace = {null, UnigramPipeline.Prepend.ALWAYS, true};
    preTokenizer(root.path("pre_tokenizer"), whitespace, metaspace);
    List<Integer> prefix = new ArrayList<>();
    List<Integer> suffix = new ArrayList<>();
    postProcessor(root.path("post_processor"), prefix, suffix);
    return new UnigramPipeline(added, normalizer, whitespace[0], (Character) metaspace[0],
        (UnigramPipeline.Prepend) metaspace[1], (Boolean) metaspace[2], vocab, scores, unkId,
        model.path("byte_fallback").asBoolean(false), toArray(prefix), toArray(suffix));
  }

  private UnaryOperator<String> normalizer(JsonNode n) throws DataFormatException {
    if (n.isMissingNode() || n.isNull()) {
      return UnaryOperator.identity();
    }
    String type = n.path("type").asText("");
    switch (type) {
      case "Precompiled": {
        JsonNode map = n.path("precompiled_charsmap");
        if (map.isNull() || map.asText("").isEmpty()) {
          return UnaryOperator.identity();
        }
        try {
          return new PrecompiledNormalizer(CharsMap.parse(Base64.getDecoder().decode(map.asText())))::normalize;
        } catch (IllegalArgumentException e) {
          throw refuse("broken precompiled_charsmap (" + e.getMessage() + ")");
        }
      }
      case "Sequence": {
        List<UnaryOperator<String>> steps = new ArrayList<>();
        for (JsonNode s : n.path("normalizers")) {
          steps.add(normalizer(s));
        }
        return text -> {
          for (UnaryOperator<String> s : steps) {
            text = s.apply(text);
          }
          return text;
        };
      }
      case "Strip": {
        boolean left = n.path("strip_left").asBoolean(true);
        boolean right = n.path("strip_right").asBoolean(true);
        return text -> strip(text, left, right);
      }
      case "Replace": {
        JsonNode pattern = n.path("pattern");
        String content = n.path("content").asText("");
        Pattern p;
        if (pattern.has("String")) {
          p = Pattern.compile(Pattern.quote(pattern.get("String").asText()));
        } else if (pattern.has("Regex")) {
          try {
            p = Pattern.compile(pattern.get("Regex").asText());
          } catch (IllegalArgumentException e) {
            throw refuse("Replace pattern " + pattern.get("Regex").asText() + " is not a usable regex");
          }
        } else {
          throw refuse("Replace normalizer without a pattern");
        }
        String replacement = Matcher.quoteReplacement(content);
        return text -> p.matcher(text).replaceAll(replacement);
      }
      case "Lowercase":
        return text -> text.toLowerCase(Locale.ROOT);
      case "NFC":
        return text -> Normalizer.normalize(text, Normalizer.Form.NFC);
      case "NFD":
        return text -> Normalizer.normalize(text, Normalizer.Form.NFD);
      case "NFKC":
        return text -> Normalizer.normalize(text, Normalizer.Form.NFKC);
      case "NFKD":
        return text -> Normalizer.normalize(text, Normalizer.Form.NFKD);
      default:
        throw refuse("normalizer " + (type.isEmpty() ? "without a type" : type) + " is not supported");
    }
  }

  private void preTokenizer(JsonNode n, boolean[] whitespace, Object[] metaspace) throws DataFormatException {
    if (n.isMissingNode() || n.isNull()) {
      return;
    }
    String type = n.path("type").asText("");
    switch (type) {
      case "Sequence":
        for (JsonNode p : n.path("pretokenizers")) {
          if (metaspace[0] != null) {
            throw refuse("a pre-tokenizer after Metaspace is not supported");
          }
          preTokenizer(p, whitespace, metaspace);
        }
        return;
      case "WhitespaceSplit":
        if (whitespace[0]) {
          throw refuse("WhitespaceSplit twice is not supported");
        }
        whitespace[0] = true;
        return;
      case "Metaspace": {
        String rep = n.path("replacement").asText("\u2581");
        if (rep.length() != 1) {
          throw refuse("Metaspace replacement \"" + rep + "\" is not one character");
        }
        metaspace[0] = rep.charAt(0);
        String scheme = n.has("prepend_scheme") ? n.get("prepend_scheme").asText()
            : n.path("add_prefix_space").asBoolean(true) ? "always" : "never";
        try {
          metaspace[1] = UnigramPipeline.Prepend.valueOf(scheme.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw refuse("Metaspace prepend_scheme " + scheme + " is not supported");
        }
        metaspace[2] = n.path("split").asBoolean(true);
        return;
      }
      default:
        throw refuse("pre-tokenizer " + (type.isEmpty() ? "without a type" : type) + " is not supported");
    }
  }

  private void postProcessor(JsonNode n, List<Integer> prefix, List<Integer> suffix) throws DataFormatException {
    if (n.isMissingNode() || n.isNull()) {
      return;
    }
    if (!n.path("type").asText("").equals("TemplateProcessing")) {
      throw refuse("post-processor " + n.path("type").asText("without a type") + " is not supported");
    }
    boolean afterSequence = false;
    for (JsonNode item : n.path("single")) {
      if (item.has("Sequence")) {
        afterSequence = true;
      } else if (item.has("SpecialToken")) {
        String name = item.get("SpecialToken").path("id").asText();
        JsonNode ids = n.path("special_tokens").path(name).path("ids");
        if (!ids.isArray() || ids.isEmpty()) {
          throw refuse("post-processor special token " + name + " has no ids");
        }
        for (JsonNode id : ids) {
          (afterSequence ? suffix : prefix).add(id.asInt());
        }
      } else {
        throw refuse("post-processor template item " + item + " is not supported");
      }
    }
  }

  /** Strip of tokenizers: Unicode White_Space at either end. */
  private static String strip(String text, boolean left, boolean right) {
    int begin = 0;
    int end = text.length();
    while (left && begin < end && UnigramPipeline.isWhitespace(text.codePointAt(begin))) {
      begin += Character.charCount(text.codePointAt(begin));
    }
    while (right && end > begin && UnigramPipeline.isWhitespace(text.codePointBefore(end))) {
      end -= Character.charCount(text.codePointBefore(end));
    }
    return text.substring(begin, end);
  }

  private DataFormatException refuse(String problem) {
    return new DataFormatException(file + ": " + problem);
  }

  private static int[] toArray(List<Integer> ids) {
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
