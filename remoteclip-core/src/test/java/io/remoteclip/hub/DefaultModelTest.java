package io.remoteclip.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remoteclip.DataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultModelTest {
  @TempDir Path home;

  private HubSettings settings() {
    return HubSettings.forCache(home);
  }

  @Test
  void builtInUntilSomethingIsSet() throws Exception {
    DefaultModel d = DefaultModel.read(settings(), Map.of(), new Properties());
    assertEquals(new DefaultModel("remoteclip-mini", DefaultModel.Source.BUILT_IN), d);
    assertTrue(d.isBuiltIn());
  }

  @Test
  void environmentVariableWinsOverTheStoredDefaultAndThePropertyOverBoth() throws Exception {
    DefaultModel.store(settings(), "GeoRSCLIP-ViT-B-32");
    assertEquals(new DefaultModel("GeoRSCLIP-ViT-B-32", DefaultModel.Source.STORED),
        DefaultModel.read(settings(), Map.of(), new Properties()));
    assertEquals(new DefaultModel("RemoteCLIP-ViT-B-32", DefaultModel.Source.ENVIRONMENT),
        DefaultModel.read(settings(), Map.of("REMOTECLIP_MODEL", " RemoteCLIP-ViT-B-32 "), new Properties()));
    Properties p = new Properties();
    p.setProperty("remoteclip.model", "/models/mine.pt");
    assertEquals("/models/mine.pt", DefaultModel.read(settings(), Map.of("REMOTECLIP_MODEL", "x"), p).name());
  }

  @Test
  void storeKeepsOtherSettingsAndReplacesTheDefault() throws Exception {
    Files.writeString(home.resolve("settings.json"), "{\"other\": 3}");
    DefaultModel.store(settings(), "a");
    Path file = DefaultModel.store(settings(), "b");
    String text = Files.readString(file);
    assertTrue(text.contains("\"other\" : 3") && text.contains("\"default_model\" : \"b\""), text);
  }

  @Test
  void brokenSettingsFileIsADataErrorNamingIt() throws Exception {
    Files.writeString(home.resolve("settings.json"), "{\"default_model\": 7}");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> DefaultModel.read(settings(), Map.of(), new Properties()));
    assertTrue(e.getMessage().startsWith(home.resolve("settings.json") + ": \"default_model\""), e.getMessage());
  }
}
