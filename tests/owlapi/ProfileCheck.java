import java.io.File;
import java.util.List;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.io.FileDocumentSource;

/**
 * Reads an OWL file with the OWL API, as Protégé does, and reports what it could not read and
 * what breaks the OWL 2 DL profile, one finding a line:
 *
 *   axioms N
 *   unparsed TRIPLE       (a triple the OWL API's RDF/XML parser could not turn into OWL)
 *   violation TEXT        (an OWL 2 DL profile violation)
 *
 * Imports are not fetched: the check stays offline.
 */
public class ProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT)
            .setFollowRedirects(false);
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(
            new FileDocumentSource(new File(args[0])), config);
        System.out.println("axioms " + ontology.getAxiomCount());
        OWLOntologyLoaderMetaData meta =
            manager.getOntologyFormat(ontology).getOntologyLoaderMetaData().orElse(null);
        if (meta != null) {
            meta.getUnparsedTriples().forEach(t -> System.out.println("unparsed " + t));
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation v : report.getViolations()) {
            System.out.println("violation " + v.toString().replace('\n', ' '));
        }
    }
}
