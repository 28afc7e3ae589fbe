package org.peftharness.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.model.graph.HostTensors;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;

/** Dropout sites: identity unless training; inverted dropout with the given rate; masks follow the fed seed only. */
class DropoutTest {
  @TempDir Path dir;

  @Test
  void dropoutIsSeededInvertedAndOffOutsideTraining() {
    Path m = TinyModels.encoder(dir, "bert", 1, 0.1, 0.1, false, 31);
    try (PretrainedModel pm = PretrainedModel.open(m.toString());
        var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      Operand<TFloat64> ones = g.ops().fill(g.ops().constant(new int[] {20000}), g.nn().scalar(1.0));
      Operand<TFloat64> dropped = g.dropout(ones, 0.25);
      assertThat(g.dropoutSites()).isEqualTo(1 + 2 + 1 + 1); // embeddings, attention probs + output, ffn output, this one

      double[] eval = run(g, dropped, null, 0);
      for (double v : eval) {
        assertThat(v).isEqualTo(1.0);
      }
      double[] a = run(g, dropped, true, 5);
      double[] b = run(g, dropped, true, 5);
      double[] c = run(g, dropped, true, 6);
      assertThat(a).containsExactly(b);
      assertThat(a).isNotEqualTo(c);
      int zeros = 0;
      for (double v : a) {
        assertThat(v == 0.0 || v == 1.0 / 0.75).isTrue();
        zeros += v == 0.0 ? 1 : 0;
      }
      assertThat(zeros / 20000.0).isBetween(0.23, 0.27);
    }
  }

  static double[] run(EncoderModel<TFloat64> g, Operand<TFloat64> x, Boolean training, long seed) {
    try (TBool t = TBool.scalarOf(training != null && training);
        TInt64 s = TInt64.vectorOf(seed, 0L)) {
      var r = g.session().runner().fetch(x);
      if (training != null) {
        r.feed(g.training(), t).feed(g.dropoutSeed(), s);
      }
      try (Result res = r.run()) {
        return HostTensors.toDoubles(res.get(0));
      }
    }
  }
}
