package dgm4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.ais.AisEvaluation;
import dgm4j.ais.ExactPartition;
import dgm4j.data.Binarization;
import dgm4j.data.Dataset;
import dgm4j.helmholtz.HelmholtzEstimator;
import dgm4j.helmholtz.HelmholtzFiles;
import dgm4j.helmholtz.HelmholtzMachine;
import dgm4j.helmholtz.WakeSleep;
import dgm4j.io.ModelFile;
import dgm4j.io.ModelFiles;
import dgm4j.math.RandomStream;
import dgm4j.rbm.BernoulliRbm;
import dgm4j.rbm.Rbm;
import dgm4j.rbm.RbmFiles;
import dgm4j.rbm.RbmTest;

/** The one-call evaluation against exact answers, through model files as a library user has them. */
class EvaluationTest {

    static ModelFile fileOf(ModelFile.Builder b, String kind) {
        return ModelFiles.fromBytes(ModelFiles.toBytes(b.build()), "test", Set.of(kind));
    }

    @Test
    void anRbmFileGetsAVerdictThatHoldsAgainstEnumeration() {
        BernoulliRbm rbm = RbmTest.trainOnBars(true, 1, 60, 11);
        ModelFile file = fileOf(RbmFiles.builder(rbm, 4, 4), Rbm.KIND);
        Dataset train = new Dataset("bars", RbmTest.bars(500, 1), null, 4, 4, 0), test = new Dataset("bars", RbmTest.bars(200, 2), null, 4, 4, 0);
        Evaluation.AisOptions o = new Evaluation.AisOptions(AisEvaluation.Settings.standard().withScale(0.3), Binarization.none(), 30, true, "test");
        LikelihoodReport r = Evaluation.undirected(file, train, test, o, new RandomStream(1), Progress.NONE, null);
        double exact = ExactPartition.logZ(rbm);
        AisReport a = (AisReport) r;
        assertEquals(exact, a.exactLogZ(), 1e-9);
        if (r.determined()) {
            assertEquals(exact, a.verdict().logZ(), 0.1, r.summary());
            assertTrue(r.summary().startsWith("forward and reverse AIS agree within"), r.summary());
        } else {
            assertTrue(r.summary().contains("NOT DETERMINED"), r.summary());
        }
        assertTrue(r.notes().get(0).startsWith("exact ln Z = "), r.notes().toString());
        assertEquals(r.determined(), r.toJson().get("determined"));
        // the figure is the mean of -F(v) over the scored rows minus ln Z
        double mean = 0;
        for (double f : rbm.freeEnergy(test.features(), null)) mean -= f / test.size();
        assertEquals(mean - a.verdict().logZ(), r.averageLogProbability(), 1e-9);
    }

    @Test
    void aHelmholtzMachineFileIsMeasuredByImportanceSamplingBelowItsExactLikelihood() {
        HelmholtzMachine hm = HelmholtzMachine.initialize(new int[] {16, 6, 3}, new RandomStream(3), null);
        ModelFile file = fileOf(HelmholtzFiles.builder(hm, WakeSleep.Algorithm.RWS, 5, WakeSleep.QUpdate.BOTH, 4, 4), HelmholtzMachine.KIND);
        Dataset test = new Dataset("bars", RbmTest.bars(100, 4), null, 4, 4, 0);
        ImportanceReport r = Evaluation.directed(file, test, 2000, List.of(1, 10), Binarization.none(), 5000, new RandomStream(5), Progress.NONE);
        double exact = 0;
        for (double v : HelmholtzEstimator.exactLogProbability(hm, test.features())) exact += v / test.size();
        assertEquals(3, r.estimates().size());
        // L_1 <= L_10 <= L_2000 <= ln p(x) (in expectation; with 100 examples the standard errors are small)
        assertTrue(r.estimates().get(0).mean() <= r.estimates().get(1).mean() + 0.05, r.details().toString());
        assertTrue(r.averageLogProbability() <= exact + 0.05, r.summary() + " exact " + exact);
        assertEquals(exact, r.averageLogProbability(), 0.5, r.summary());
        assertTrue(r.summary().startsWith("NLL (k=2000)"), r.summary());
    }

    @Test
    void theWrongKindOfModelIsAClearError() {
        BernoulliRbm rbm = RbmTest.trainOnBars(false, 1, 2, 1);
        ModelFile file = fileOf(RbmFiles.builder(rbm, 4, 4), Rbm.KIND);
        Dataset test = new Dataset("bars", RbmTest.bars(10, 4), null, 4, 4, 0);
        InputException e = assertThrows(InputException.class,
                () -> Evaluation.directed(file, test, 10, List.of(), Binarization.none(), 5000, new RandomStream(1), Progress.NONE));
        assertTrue(e.getMessage().contains("rbm"), e.getMessage());
        assertThrows(InputException.class, () -> Evaluation.undirected(file, test, test.subset(0, 0), Evaluation.AisOptions.standard(),
                new RandomStream(1), Progress.NONE, null));
    }
}
