package dgm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** ARFF parsing, tokenisation, vocabulary and bag-of-words on tiny inline corpora. */
class TextCorpusTest {

    static final String ARFF = String.join("\n",
            "% a comment",
            "@relation 'tiny corpus'",
            "",
            "@attribute Text string",
            "@attribute class-att {0,1}",
            "@data",
            "'WHEAT prices rose,\\nsaid the U.S. Agriculture Dept\\'s report',1",
            "\"Corn \\\"and\\\" wheat\\texports\",0",
            "'It\\'s a 1987 story about oil.\\nReuter\\n&#3;', 0",
            "");

    @Test
    void arffQuotingAndEscapes() {
        ArffReader.ArffData a = ArffReader.parse(ARFF);
        assertEquals("tiny corpus", a.relation());
        assertEquals(List.of("Text", "class-att"), a.attributeNames());
        assertEquals(List.of("string", "{0,1}"), a.attributeTypes());
        assertEquals(3, a.rows().size());
        assertEquals("WHEAT prices rose,\nsaid the U.S. Agriculture Dept's report", a.rows().get(0).get(0));
        assertEquals("1", a.rows().get(0).get(1));
        assertEquals("Corn \"and\" wheat\texports", a.rows().get(1).get(0));
        assertEquals("0", a.rows().get(2).get(1));
        assertEquals(1, a.column("class-att"));
        assertThrows(DataException.class, () -> a.column("nope"));
    }

    @Test
    void malformedArffIsRefusedWithItsLine() {
        DataException e = assertThrows(DataException.class, () -> ArffReader.parse("@attribute t string\n@data\n'open,1\n"));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("unterminated"), e.getMessage());
        e = assertThrows(DataException.class, () -> ArffReader.parse("@attribute t string\n@attribute c {0,1}\n@data\n'a',1,2\n"));
        assertTrue(e.getMessage().contains("3 values, expected 2"), e.getMessage());
        assertThrows(DataException.class, () -> ArffReader.parse("@attribute t string\n@data\n{0 'x'}\n"));
        assertThrows(DataException.class, () -> ArffReader.parse("just text\n"));
    }

    @Test
    void tokeniserLowerCasesKeepsLettersDropsStopWordsAndShortTokens() {
        assertEquals(List.of("wheat", "prices", "rose", "agriculture", "dept", "report"),
                TextCorpus.tokenize("WHEAT prices rose,\nsaid the U.S. Agriculture Dept's report 1987 x"));
        assertEquals(List.of("tonnes", "maize"), TextCorpus.tokenize("12,000-tonnes of_maize!"));
        assertEquals(List.of(), TextCorpus.tokenize(""));
    }

    @Test
    void vocabularyByDocumentFrequencyWithDeterministicTies() {
        List<List<String>> docs = List.of(
                List.of("wheat", "wheat", "wheat", "corn"),
                List.of("corn", "barley", "oil"),
                List.of("oil", "barley", "rice"),
                List.of("wheat"));
        Vocabulary v = Vocabulary.build(docs, 4);
        // df: barley 2, corn 2, oil 2, wheat 2 (its 4 occurrences do not count), rice 1: ties in String order
        assertEquals(List.of("barley", "corn", "oil", "wheat"), v.words());
        assertEquals(2, v.documentFrequency(3));
        assertEquals(-1, v.indexOf("rice"));
        assertEquals(List.of("barley", "corn"), Vocabulary.build(docs, 2).words());
        assertEquals(5, Vocabulary.build(docs, 100).size());
    }

    @Test
    void bagOfWordsCountsAndDropsEmptyDocuments() {
        List<List<String>> train = List.of(List.of("wheat", "wheat", "corn"), List.of("corn", "oil"));
        List<List<String>> test = List.of(List.of("rice"), List.of("oil", "rice", "oil"), List.of());
        TextCorpus.Split s = TextCorpus.split("toy", train, new int[] {1, 0}, test, new int[] {0, 1, 0}, 2, 2);
        assertEquals(List.of("corn", "oil"), s.vocabulary().words(), "df: corn 2, oil 1 = wheat 1 (tie: String order)");
        assertEquals(0, s.train().droppedEmpty());
        assertArrayEquals(new float[] {1, 0, 1, 1}, s.train().dataset().features().toArray());
        assertEquals(2, s.test().droppedEmpty(), "one document without vocabulary words, one without any word");
        assertArrayEquals(new int[] {1}, s.test().documentIndices());
        assertArrayEquals(new float[] {0, 2}, s.test().dataset().features().toArray());
        assertArrayEquals(new int[] {1}, s.test().dataset().labels());
        assertEquals(2, s.test().tokens());
    }
}
