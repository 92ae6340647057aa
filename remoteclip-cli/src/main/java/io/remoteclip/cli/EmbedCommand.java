package io.remoteclip.cli;

import io.remoteclip.cli.common.ConsoleProgress;
import io.remoteclip.cli.common.ModelOptions;
import io.remoteclip.cli.common.Ranges;
import io.remoteclip.cli.common.Usage;
import io.remoteclip.parquet.TableMetadata;
import io.remoteclip.encode.EmbeddingTable;
import io.remoteclip.DataFormatException;
import io.remoteclip.encode.ClipEncoder;
import io.remoteclip.encode.ImageEncoding;
import io.remoteclip.tokenizer.TextCorpus;
import io.remoteclip.vector.Vectors;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes image or text embeddings as float32 .npy plus a .txt listing the inputs in row order, or image embeddings
 * (whole images or every window of scenes) as a GeoParquet table.
 */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Encodes images or texts into a float32 .npy [N, D] (rows in input order) and OUT.txt listing the inputs.",
      "Directories are walked recursively, sorted by relative path. Unreadable images are reported and skipped",
      "(listed in the summary) unless --strict."
    },
    footer = {"%nExamples:",
      "  remoteclip embed --model ../shared/golden/vit-tiny/model.pt --vocab ../shared/golden/tokenizer/bpe_simple_vocab_16e6.txt.gz \\",
      "      --images ../shared/data/ucm-captions/images --out ucm.npy",
      "  remoteclip embed --texts prompts.txt --normalize --out prompts.npy",
      "  remoteclip embed --images scenes/ --window 224 --stride 112 --out windows.parquet"})
public final class EmbedCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Inputs inputs;

  @Mixin io.remoteclip.cli.common.StacInputOptions stac;

  @Mixin io.remoteclip.cli.common.StacCollectionOption stacCollection;

  static final class Inputs {
    @Option(names = "--images", arity = "1..*", paramLabel = "PATH",
        description = "Image files or directories, or http(s):// and s3:// URIs of images (fetched whole).")
    List<io.remoteclip.remote.RasterLocation> images;

    @Option(names = "--texts", paramLabel = "FILE", description = "UTF-8 text file, one text per line.")
    Path texts;
  }

  @Option(names = "--out", required = true, paramLabel = "OUT.npy|OUT.parquet",
      description = "Output array (OUT.txt lists the inputs), or with a .parquet name a GeoParquet 1.1 table of image "
          + "rows: WGS84 footprint geometry (null without georeferencing), pixel window, native CRS, the model in the footer.")
  Path out;

  @Option(converter = Ranges.Positive.class, names = "--window", paramLabel = "N",
      description = "Embed every window of N x N pixels of each (Geo)TIFF scene given with --images (folders are walked "
          + "for .tif/.tiff), one row per window, instead of whole images." + Ranges.Positive.HELP)
  Integer window;

  @Option(converter = Ranges.Positive.class, names = "--stride", paramLabel = "N",
      description = "With --window: step between windows in pixels (default: the window side)." + Ranges.Positive.HELP)
  Integer stride;

  @Option(names = "--normalize", description = "L2-normalise each row (default: raw encode_image/encode_text output).")
  boolean normalize;

  @Option(names = "--strict", description = "Fail on the first unreadable image instead of skipping it.")
  boolean strict;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    io.remoteclip.fs.AtomicFiles.requireNotDirectory(out);
    if (stride != null && window == null) {
      throw Usage.error(spec, "--stride needs --window");
    }
    stac.check();
    if ((inputs == null) != stac.given()) {
      throw Usage.error(spec, "give --images, --texts or --stac ITEMS --asset KEY (one of them)");
    }
    if (stac.given() && window == null) {
      throw Usage.error(spec, "--stac reads scenes: give --window N (every window of each item's asset)");
    }
    if (inputs != null && inputs.texts != null && (window != null || EmbeddingOutput.isParquet(out))) {
      throw Usage.error(spec, "--window and .parquet outputs take --images (GeoParquet rows are images with footprints)");
    }
    Usage.require(spec, !stacCollection.given() || EmbeddingOutput.isParquet(out),
        "--stac-collection describes a GeoParquet table: give --out OUT.parquet");
    stacCollection.check(true);
    if (window != null || EmbeddingOutput.isParquet(out)) {
      return images(err);
    }
    List<String> keys;
    float[][] rows;
    List<ImageEncoding.Failure> failures = List.of();
    if (inputs.images != null) {
      try (RemoteImages images = RemoteImages.of(inputs.images); ClipEncoder encoder = modelOptions.open()) {
        ImageEncoding result = encoder.encodeImageFiles(images.files(), strict, ConsoleProgress.stderr());
        keys = new ArrayList<>();
        for (Path p : result.files()) {
          keys.add(images.name(p));
        }
        rows = result.embeddings();
        failures = result.failures().stream().map(images::name).toList();
      }
    } else {
      keys = TextCorpus.lines(inputs.texts);
      if (keys.isEmpty()) {
        throw new DataFormatException(inputs.texts + ": no texts (the file is empty)");
      }
      try (ClipEncoder encoder = modelOptions.open()) {
        rows = encoder.encodeTexts(keys, ConsoleProgress.stderr());
      }
    }
    if (rows.length == 0) {
      for (ImageEncoding.Failure f : failures) {
        err.println("remoteclip: unreadable " + f.message());
      }
      throw new DataFormatException("no input could be encoded (" + failures.size() + " unreadable); nothing written");
    }
    if (normalize) {
      rows = Vectors.normalizedRows(rows);
    }
    new EmbeddingTable(keys, rows).write(out);
    for (ImageEncoding.Failure f : failures) {
      err.println("remoteclip: skipped " + f.message());
    }
    spec.commandLine().getOut().printf("wrote %s: float32 [%d, %d]%s and %s%n", out, rows.length, rows[0].length,
        normalize ? " (L2-normalised)" : "", EmbeddingTable.listingOf(out));
    if (!failures.isEmpty()) {
      err.printf("remoteclip: %d of %d images could not be read and were skipped%n", failures.size(), failures.size() + rows.length);
    }
    return 0;
  }

  /** Image rows (whole images, or with --window every window of each scene) into .npy or GeoParquet. */
  private int images(PrintWriter err) throws Exception {
    List<ImageEncoding.Failure> failures;
    String wrote;
    int inputCount;
    try (RemoteImages images = window != null ? null : RemoteImages.of(inputs.images);
        ClipEncoder encoder = modelOptions.open()) {
      TableMetadata table = TableMetadata.of(encoder.modelId(), IndexModels.reference(modelOptions),
          IndexModels.vocabReference(modelOptions), encoder.towers().embedDim(), normalize);
      try (EmbeddingOutput output = EmbeddingOutput.open(out, window == null ? table
          : table.withWindows(window, stride == null ? window : stride), stacCollection.given())) {
        if (window != null) {
          java.util.Map<io.remoteclip.remote.RasterLocation, io.remoteclip.stac.StacScene> items =
              stac.given() ? stac.scenes() : java.util.Map.of();
          List<io.remoteclip.remote.RasterLocation> scenes = stac.given() ? List.copyOf(items.keySet())
              : EmbedScenes.scenes(inputs.images);
          inputCount = scenes.size();
          failures = new EmbedScenes(encoder, window, stride == null ? window : stride, normalize, strict)
              .embed(scenes, items, output);
        } else {
          inputCount = images.files().size();
          ImageEncoding result = encoder.encodeImageFiles(images.files(), strict, ConsoleProgress.stderr());
          failures = result.failures();
          for (int i = 0; i < result.files().size(); i++) {
            Path f = result.files().get(i);
            float[] e = result.embeddings()[i];
            String name = images.name(f);
            String source = io.remoteclip.remote.RasterLocation.parse(name).source();
            output.add(name, source, false, io.remoteclip.geo.Footprint.ofImage(f), normalize ? Vectors.normalized(e) : e);
          }
        }
        for (ImageEncoding.Failure f : failures) {
          err.println("remoteclip: " + (output.rows() == 0 ? "unreadable " : "skipped ") + f.message());
        }
        if (output.rows() == 0) {
          throw new DataFormatException("no input could be encoded (" + failures.size() + " unreadable); nothing written");
        }
        wrote = output.commit(normalize);
        if (stacCollection.given()) {
          stacCollection.add(output.table());
          wrote += System.lineSeparator() + stacCollection.write(true);
        }
      }
    }
    spec.commandLine().getOut().println(wrote);
    if (!failures.isEmpty()) {
      err.printf("remoteclip: %d of %d %s could not be read and were skipped%n", failures.size(), inputCount,
          window != null ? "scenes" : "images");
    }
    return 0;
  }
}
