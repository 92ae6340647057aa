package io.remoteclip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.remoteclip.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sentencepiece port against Google's library itself (Debian's python3-sentencepiece, which .ci/run
 * installs; skipped without it): a unigram model with byte fallback, nmt_nfkc normalization and a user-defined
 * symbol is trained by the library on a corpus this test writes, and every text, including ties between equally
 * likely segmentations, unknown characters and odd whitespace, must get the library's ids, with and without the
 * dummy prefix. Ties are broken by the rounding of the library's version (Debian's 0.1.97 sums in double, pip's
 * 0.2.2 in float: SentencePieceEncoder.Arithmetic); the golden fixture's 0.2.2 ties are in SentencePieceGoldenTest.
 */
class SentencePieceReferenceTest {
  /** Debian's python by default; REMOTECLIP_SENTENCEPIECE_PYTHON names another one (a venv with pip's wheel). */
  private static final Path PYTHON = Path.of(System.getenv().getOrDefault("REMOTECLIP_SENTENCEPIECE_PYTHON",
      "/usr/bin/python3"));
  @TempDir Path dir;

  private static final String SCRIPT = String.join("\n",
      "import json, sys",
      "import sentencepiece as spm",
      "from sentencepiece import sentencepiece_model_pb2 as pb",
      "d = sys.argv[1]",
      "spm.SentencePieceTrainer.train(input=d + '/corpus.txt', model_prefix=d + '/m', vocab_size=400,",
      "    model_type='unigram', byte_fallback=True, character_coverage=0.9995, normalization_rule_name='nmt_nfkc',",
      "    num_threads=1, hard_vocab_limit=False, user_defined_symbols=['<sep>'], minloglevel=2,",
      "    pad_id=0, eos_id=1, unk_id=2, bos_id=-1)",
      "texts = json.load(open(d + '/texts.json', encoding='utf-8'))",
      "sp = spm.SentencePieceProcessor(model_file=d + '/m.model')",
      "p = pb.ModelProto(); p.ParseFromString(open(d + '/m.model', 'rb').read())",
      "p.normalizer_spec.add_dummy_prefix = False",
      "sp2 = spm.SentencePieceProcessor(); sp2.LoadFromSerializedProto(p.SerializeToString())",
      "json.dump({'version': spm.__version__, 'ids': [sp.encode(t) for t in texts],",
      "    'nodummy': [sp2.encode(t) for t in texts]},",
      "    open(d + '/out.json', 'w'))");

  private static boolean hasSentencePiece() {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    try {
      Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import sentencepiece").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void everyIdEqualsGooglesLibrary() throws Exception {
    assumeTrue(hasSentencePiece(), "skipped: /usr/bin/python3 with sentencepiece (Debian python3-sentencepiece) not found");
    String[] words = {"airport", "runway", "harbor", "ships", "dense", "residential", "area", "river", "bridge",
        "storage", "tanks", "green", "trees", "road", "cars", "parking", "lot", "baseball", "diamond", "aaaa", "a",
        "café", "zürich", "straße", "机场", "遥感", "12", "3.5", "km²", "the", "of", "and", "with", "many"};
    Random random = new Random(22);
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      StringBuilder s = new StringBuilder();
      int n = 3 + random.nextInt(12);
      for (int w = 0; w < n; w++) {
        s.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
      }
      corpus.add(s.toString());
    }
    Files.write(dir.resolve("corpus.txt"), corpus, StandardCharsets.UTF_8);
    List<String> texts = new ArrayList<>(corpus.subList(0, 300));
    texts.addAll(List.of("", "   ", "a".repeat(40), "aaaa ".repeat(9) + "a", "x▁" + "a".repeat(37),
        "<unk>▁" + "a".repeat(40), "  airport\t\nrunway  ", "Ｆｕｌｌ ｗｉｄｔｈ ＡＩＲＰＯＲＴ", "ﬁeld ½ x² Ⅻ",
        "🛰 satellite 🌍", "Ελληνικά русский العربية", "e\u0301te\u0301", "a<sep>b <sep>", "\u00A0a\u2003b\u200Bc",
        "AIRPORT Runway", "ship\u0000s", "tab\there", "▁▁already▁▁"));
    for (int k = 2; k <= 60; k++) {
      // runs whose segmentations tie: which one wins depends on the library's rounding
      texts.addAll(List.of("a".repeat(k), "<unk>" + "a".repeat(k), "<unk>▁" + "a".repeat(k), "aaaa" + "a".repeat(k) + " x"));
    }
    Files.writeString(dir.resolve("texts.json"), Json.mapper().writeValueAsString(texts), StandardCharsets.UTF_8);
    Process p = new ProcessBuilder(PYTHON.toString(), "-c", SCRIPT, dir.toString()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assumeTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
    assertEquals(0, p.exitValue(), log);
    JsonNode out = Json.mapper().readTree(dir.resolve("out.json").toFile());
    SentencePieceModel model = SentencePieceModel.read(dir.resolve("m.model"));
    String version = out.get("version").asText();
    SentencePieceEncoder.Arithmetic arithmetic = version.startsWith("0.1.") || version.startsWith("0.2.0")
        ? SentencePieceEncoder.Arithmetic.DOUBLE : SentencePieceEncoder.Arithmetic.FLOAT;
    SentencePieceEncoder withPrefix = new SentencePieceEncoder(model, true, arithmetic);
    SentencePieceEncoder without = new SentencePieceEncoder(model, false, arithmetic);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      check(wrong, texts.get(i), out.get("ids").get(i), withPrefix.encode(texts.get(i)));
      check(wrong, texts.get(i), out.get("nodummy").get(i), without.encode(texts.get(i)));
    }
    assertEquals(List.of(), wrong, "sentencepiece " + version + ", " + arithmetic);
  }

  private static void check(List<String> wrong, String text, JsonNode want, int[] got) {
    int[] w = new int[want.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = want.get(i).asInt();
    }
    if (!Arrays.equals(w, got)) {
      wrong.add(text + ": want " + Arrays.toString(w) + " got " + Arrays.toString(got));
    }
  }
}
