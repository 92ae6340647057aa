import io.remoteclip.checkpoint.Checkpoints;
import io.remoteclip.checkpoint.StateDict;
import io.remoteclip.model.Architectures;
import io.remoteclip.model.ClipConfig;
import io.remoteclip.model.ClipInit;
import java.nio.file.Path;

/**
 * Writes a random-initialised full-size checkpoint (open_clip's initialisation, seed 0, float32, open_clip key
 * layout) as .pt or .safetensors, for measurements that need a real file of a model's size without
 * downloading one. Run as a source file on the CLI's class path (bench/memory.sh does):
 *
 * <pre>java -cp "remoteclip-cli/target/remoteclip-cli-*.jar:remoteclip-cli/target/lib/*" bench/RandomCheckpoint.java ViT-L-14 ViT-L-14.pt</pre>
 */
public class RandomCheckpoint {
  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: RandomCheckpoint ARCH OUT.pt|OUT.safetensors   (ARCH: " + String.join(", ", Architectures.names())
          + " or a custom spec)");
      System.exit(2);
    }
    ClipConfig config = Architectures.parse(args[0], 0);
    StateDict sd = ClipInit.random(config, 0);
    Checkpoints.write(Path.of(args[1]), sd);
    System.out.printf("wrote %s: %s, %,d parameters%n", args[1], config.architectureName(), sd.parameterCount());
  }
}
