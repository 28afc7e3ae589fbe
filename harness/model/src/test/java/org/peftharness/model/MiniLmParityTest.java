package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.types.TFloat32;

/** The embedded MiniLM against ONNX Runtime's outputs in ../shared/fixtures (computed independently). */
class MiniLmParityTest {
  static PretrainedModel model;
  static EncoderModel<TFloat32> graph;
  static JsonNode fixture;

  @BeforeAll
  static void load() throws IOException {
    fixture = JsonDocument.MAPPER.readTree(Files.readString(SharedFiles.fixture("minilm-encoder.json")));
    model = PretrainedModel.open(PretrainedModel.MINILM);
    graph = (EncoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN);
  }

  @AfterAll
  static void close() {
    if (graph != null) {
      graph.close();
    }
    if (model != null) {
      model.close();
    }
  }

  static int[] ints(JsonNode arr) {
    int[] out = new int[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = arr.get(i).asInt();
    }
    return out;
  }

  @Test
  void tokenizerGivesTheFixtureIdsAndTypeIds() {
    for (var it = fixture.get("cases").fields(); it.hasNext(); ) {
      var c = it.next();
      JsonNode v = c.getValue();
      TextTokenizer.Encoded e = model.tokenizer().encode(v.get("text").asText(),
          v.has("text_pair") ? v.get("text_pair").asText() : null);
      assertThat(e.ids()).as(c.getKey()).containsExactly(ints(v.get("input_ids")));
      assertThat(e.typeIds()).as(c.getKey()).containsExactly(ints(v.get("token_type_ids")));
    }
  }

  @Test
  void lastHiddenStateMatchesOnnxRuntimeWithin1e4() {
    for (var it = fixture.get("cases").fields(); it.hasNext(); ) {
      var c = it.next();
      JsonNode v = c.getValue();
      int[] ids = ints(v.get("input_ids"));
      int[] mask = new int[ids.length];
      java.util.Arrays.fill(mask, 1);
      FloatTensor h = graph.forward(new int[][] {ids}, new int[][] {ints(v.get("token_type_ids"))}, new int[][] {mask});
      assertThat(h.shape()).containsExactly(1, ids.length, 384);
      JsonNode expected = v.get("last_hidden_state");
      double maxDiff = 0;
      for (int t = 0; t < ids.length; t++) {
        for (int j = 0; j < 384; j++) {
          maxDiff = Math.max(maxDiff, Math.abs(h.data()[t * 384 + j] - expected.get(t).get(j).asDouble()));
        }
      }
      assertThat(maxDiff).as(c.getKey()).isLessThan(1e-4);
    }
  }

  @Test
  void paddedBatchEqualsSingleCasesAtUnpaddedPositions() {
    List<String> order = new ArrayList<>();
    fixture.get("padded_batch").get("order").forEach(n -> order.add(n.asText()));
    int pad = fixture.get("padded_batch").get("pad_id").asInt();
    int longest = 0;
    for (String name : order) {
      longest = Math.max(longest, fixture.get("cases").get(name).get("input_ids").size());
    }
    int[][] ids = new int[order.size()][longest];
    int[][] types = new int[order.size()][longest];
    int[][] mask = new int[order.size()][longest];
    for (int b = 0; b < order.size(); b++) {
      JsonNode c = fixture.get("cases").get(order.get(b));
      int[] id = ints(c.get("input_ids"));
      int[] ty = ints(c.get("token_type_ids"));
      java.util.Arrays.fill(ids[b], pad);
      for (int t = 0; t < id.length; t++) {
        ids[b][t] = id[t];
        types[b][t] = ty[t];
        mask[b][t] = 1;
      }
    }
    FloatTensor batch = graph.forward(ids, types, mask);
    for (int b = 0; b < order.size(); b++) {
      int n = fixture.get("cases").get(order.get(b)).get("input_ids").size();
      int[] one = new int[n];
      java.util.Arrays.fill(one, 1);
      FloatTensor single = graph.forward(new int[][] {java.util.Arrays.copyOf(ids[b], n)},
          new int[][] {java.util.Arrays.copyOf(types[b], n)}, new int[][] {one});
      for (int t = 0; t < n; t++) {
        for (int j = 0; j < 384; j++) {
          float a = batch.data()[(b * longest + t) * 384 + j];
          float s = single.data()[t * 384 + j];
          assertThat((double) Math.abs(a - s)).as("%s t=%d j=%d", order.get(b), t, j).isLessThan(1e-5);
        }
      }
    }
  }
}
