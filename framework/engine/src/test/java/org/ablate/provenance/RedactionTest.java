package org.ablate.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void theRecordedCommandMasksUserInfoInEitherOptionForm() {
        assertEquals("ablate run e.yaml --tracking-uri http://***@127.0.0.1:5000 seeds=[0]",
                Provenance.command("ablate run", List.of("e.yaml", "--tracking-uri", "http://ann:s3cret@127.0.0.1:5000", "seeds=[0]")));
        assertEquals("ablate run e.yaml --tracking-uri=https://***@mlflow.example.org/base",
                Provenance.command("ablate run", List.of("e.yaml", "--tracking-uri=https://ann:s3cret@mlflow.example.org/base")));
    }

    @Test
    void aQuoteOrSpaceInARecordedArgumentsPasswordIsMaskedToo() {
        assertEquals("ablate run e.yaml --tracking-uri=http://***@h:1 x=1",
                Provenance.command("ablate run", List.of("e.yaml", "--tracking-uri=http://ann:it's a secret@h:1", "x=1")));
    }

    @Test
    void percentEncodedAndRawSpecialCharactersInAPasswordAreMaskedWhole() {
        assertEquals("http://***@h:1", Redaction.redactUrl("http://ann:p%40ss%3Aw%2Fd@h:1"));
        // raw '@' and '/' (not valid URI syntax, but typed): the mask runs to the last '@'
        assertEquals("http://***@h:1/x", Redaction.redactUrl("http://ann:p@ss/w@h:1/x"));
        assertEquals("***@h:1", Redaction.redactUrl("ann:pw@h:1"), "no scheme (a typo'd --tracking-uri)");
    }

    @Test
    void queryValuesAreMaskedAndTheirNamesKept() {
        assertEquals("--tracking-uri=http://h:1/?token=***&user=***#frag",
                Redaction.redactUrls("--tracking-uri=http://h:1/?token=abc123&user=ann#frag"));
        assertEquals("two: http://***@a/ and https://b/?k=***", Redaction.redactUrls("two: http://u:p@a/ and https://b/?k=v"));
    }

    @Test
    void aQuotedUrlKeepsItsClosingQuote() {
        assertEquals("tracking URI 'http://***@h/?token=***' has a query",
                Redaction.redactUrls("tracking URI 'http://u:p@h/?token=abc' has a query"));
        assertEquals("\"https://***@h\"", Redaction.redactUrls("\"https://u:p@h\""));
    }

    @Test
    void textWithoutSecretsIsUnchanged() {
        String plain = "ablate run e.yaml --tracking-uri http://127.0.0.1:5000 name=a@b lr=1e-3";
        assertEquals(plain, Redaction.redactUrls(plain));
    }
}
