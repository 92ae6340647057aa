package io.remoteclip.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.remoteclip.DataFormatException;
import io.remoteclip.image.PreprocessConfig;
import io.remoteclip.image.Resample;
import io.remoteclip.image.ResizeMode;
import io.remoteclip.layout.TokenizerSpec;
import io.remoteclip.model.ModelFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code remoteclip-onnx.json}: what a runtime needs besides the two graphs — the encoder identity, image
 * preprocessing, tokenizer, logit scale — so an export directory is usable on its own (also from Python or
 * C++). File names are relative to the directory.
 *
 * @param encoderId the {@link io.remoteclip.encode.EncoderId} of the exported encoder (weights, activation, number
 *     format, preprocessing, vocabulary), or a bare weights identity for an export of in-memory weights
 * @param logitScale the raw learnable logit scale (softmax temperature is its exp)
 * @param family CLIP (scores exp(scale)·cos, softmax over labels) or SigLIP (exp(scale)·cos + logitBias, sigmoid)
 * @param logitBias SigLIP's learned bias of the logits; 0 for CLIP
 * @param tokenizer which pipeline reads {@code vocabFile} ({@link TokenizerSpec.Kind#cliName()}); exports written
 *     before SigLIP have none and are CLIP BPE
 */
public record OnnxSidecar(String encoderId, String model, String architecture, String visionType, String activation,
    Quantization quantization, int embedDim, float logitScale, PreprocessConfig preprocess, String vocabFile,
    int contextLength, int vocabSize, int startOfText, int endOfText, String imageFile, String textFile,
    boolean imageExternalData, boolean textExternalData, ModelFamily family, float logitBias,
    TokenizerSpec.Kind tokenizer) {
  public static final String FILE_NAME = "remoteclip-onnx.json";
  public static final String FORMAT = "remoteclip-onnx";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public String toJson() throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", FORMAT).put("format_version", Integer.parseInt(OnnxExport.FORMAT_VERSION));
    o.put("encoder_id", encoderId).put("model", model).put("architecture", architecture);
    o.put("activation", activation).put("quantization", quantization.cliName());
    o.put("opset", OnnxModelWriter.OPSET).put("ir_version", OnnxModelWriter.IR_VERSION);
    o.put("family", family.cliName()).put("scores", family.scores());
    o.put("embed_dim", embedDim).put("logit_scale", logitScale).put("logit_scale_exp", Math.exp(logitScale));
    if (family == ModelFamily.SIGLIP) {
      o.put("logit_bias", logitBias).put("logits", "exp(logit_scale) * cos(image, text) + logit_bias; "
          + "label probabilities are sigmoid(logit) per label");
    } else {
      o.put("logits", "exp(logit_scale) * cos(image, text); label probabilities are a softmax over the labels");
    }
    ObjectNode image = o.putObject("image");
    image.put("file", imageFile).put("external_data", imageExternalData).put("tower", visionType)
        .put("input", ClipGraphs.PIXELS + ": float32 [batch, 3, " + preprocess.imageSize() + ", " + preprocess.imageSize() + "]")
        .put("output", ClipGraphs.IMAGE_FEATURES + ": float32 [batch, " + embedDim + "], not normalised");
    ObjectNode text = o.putObject("text");
    text.put("file", textFile).put("external_data", textExternalData)
        .put("input", family == ModelFamily.SIGLIP
            ? ClipGraphs.TOKENS + ": int64 [batch, " + contextLength + "] (</s> appended, padded with the pad id to "
                + contextLength + "; the last position is pooled)"
            : ClipGraphs.TOKENS + ": int64 [batch, tokens], tokens <= " + contextLength
                + " (zero-padded; the end-of-text token, the largest id, is pooled)")
        .put("output", ClipGraphs.TEXT_FEATURES + ": float32 [batch, " + embedDim + "], not normalised");
    ObjectNode pre = o.putObject("preprocessing");
    String filter = preprocess.resample().name().toLowerCase();
    pre.put("image_size", preprocess.imageSize()).put("resample", filter)
        .put("resize_mode", preprocess.resizeMode().openClipName())
        .put("resize", preprocess.resizeMode() == ResizeMode.SQUASH
            ? "both sides to image_size (PIL " + filter + "), aspect ratio not kept, no crop"
            : "shortest side to image_size (PIL " + filter + "), then center crop image_size x image_size")
        .put("convert", "RGB, float32 in [0, 1], then (x - mean) / std per channel, CHW");
    floats(pre.putArray("mean"), preprocess.mean());
    floats(pre.putArray("std"), preprocess.std());
    ObjectNode tok = o.putObject("tokenizer");
    tok.put("type", tokenizer.cliName()).put("vocab", vocabFile).put("context_length", contextLength)
        .put("vocab_size", vocabSize);
    switch (tokenizer) {
      case CLIP_BPE -> tok.put("start_of_text", startOfText).put("end_of_text", endOfText)
          .put("cleaning", "open_clip: html unescape (twice), whitespace collapsed, lower case");
      case SENTENCEPIECE_OPEN_CLIP -> tok.put("cleaning", "open_clip HFTokenizer(clean=\"canonicalize\"): ftfy, html "
          + "unescape (twice), '_' to space, ASCII punctuation removed, lower case, whitespace collapsed; no byte fallback");
      case SENTENCEPIECE_TRANSFORMERS -> tok.put("cleaning", "transformers SiglipTokenizer: lower case, ASCII punctuation "
          + "removed, whitespace collapsed; byte fallback for unknown characters");
    }
    return JSON.writeValueAsString(o) + "\n";
  }

  /** Reads {@code dir/remoteclip-onnx.json}. */
  public static OnnxSidecar read(Path dir) throws IOException, DataFormatException {
    Path file = dir.resolve(FILE_NAME);
    JsonNode o;
    try {
      o = JSON.readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new DataFormatException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (!FORMAT.equals(o.path("format").asText())) {
      throw new DataFormatException(file + ": format is \"" + o.path("format").asText() + "\", expected \"" + FORMAT + "\"");
    }
    if (o.path("format_version").asInt() != Integer.parseInt(OnnxExport.FORMAT_VERSION)) {
      throw new DataFormatException(file + ": format_version " + o.path("format_version").asText() + ", this build reads "
          + OnnxExport.FORMAT_VERSION + " (export again)");
    }
    JsonNode pre = o.path("preprocessing");
    JsonNode tok = o.path("tokenizer");
    PreprocessConfig p;
    ModelFamily family;
    try {
      p = new PreprocessConfig(pre.path("image_size").asInt(), floats(pre.path("mean")), floats(pre.path("std")),
          Resample.valueOf(pre.path("resample").asText("bicubic").toUpperCase(java.util.Locale.ROOT)),
          ResizeMode.parse(pre.path("resize_mode").asText("shortest")));
      family = ModelFamily.valueOf(o.path("family").asText("clip").toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(file + ": " + e.getMessage());
    }
    TokenizerSpec.Kind tokenizer = tokenizerKind(file, tok.path("type").asText(TokenizerSpec.Kind.CLIP_BPE.cliName()));
    return new OnnxSidecar(o.path("encoder_id").asText(), o.path("model").asText(), o.path("architecture").asText(),
        o.path("image").path("tower").asText(), o.path("activation").asText(), Quantization.parse(o.path("quantization").asText()),
        o.path("embed_dim").asInt(), (float) o.path("logit_scale").asDouble(), p, tok.hasNonNull("vocab") ? tok.path("vocab").asText() : null,
        tok.path("context_length").asInt(), tok.path("vocab_size").asInt(), tok.path("start_of_text").asInt(),
        tok.path("end_of_text").asInt(), o.path("image").path("file").asText(), o.path("text").path("file").asText(),
        o.path("image").path("external_data").asBoolean(), o.path("text").path("external_data").asBoolean(), family,
        (float) o.path("logit_bias").asDouble(0), tokenizer);
  }

  private static TokenizerSpec.Kind tokenizerKind(Path file, String name) throws DataFormatException {
    for (TokenizerSpec.Kind k : TokenizerSpec.Kind.values()) {
      if (k.cliName().equals(name)) {
        return k;
      }
    }
    throw new DataFormatException(file + ": tokenizer type \"" + name + "\" is not one this build reads");
  }

  private static void floats(ArrayNode a, float[] v) {
    for (float x : v) {
      a.add(x);
    }
  }

  private static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) a.get(i).asDouble();
    }
    return out;
  }
}
