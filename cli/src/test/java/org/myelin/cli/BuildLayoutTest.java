package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The build's conventions for users: the BOM lists every library module at the build's version, and every module
 * names its Automatic-Module-Name after a package it holds (no two modules alike).
 */
class BuildLayoutTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static Document read(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(pom.toFile());
    }

    private static String child(Element e, String name) {
        NodeList l = e.getChildNodes();
        for (int i = 0; i < l.getLength(); i++) {
            if (l.item(i) instanceof Element c && c.getTagName().equals(name)) {
                return c.getTextContent().strip();
            }
        }
        return null;
    }

    private static List<String> modules() throws Exception {
        NodeList l = read(ROOT.resolve("pom.xml")).getElementsByTagName("module");
        List<String> m = new ArrayList<>();
        for (int i = 0; i < l.getLength(); i++) {
            m.add(l.item(i).getTextContent().strip());
        }
        return m;
    }

    @Test
    void theBomListsEveryLibraryModuleAtTheBuildsVersion() throws Exception {
        String version = child(read(ROOT.resolve("pom.xml")).getDocumentElement(), "version");
        Document bom = read(ROOT.resolve("bom/pom.xml"));
        assertEquals(version, child(bom.getDocumentElement(), "version"), "bom/pom.xml's own version");
        assertEquals(version, bom.getElementsByTagName("myelin.version").item(0).getTextContent().strip(),
                "bom/pom.xml's myelin.version");
        List<String> listed = new ArrayList<>();
        NodeList deps = bom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            listed.add(child((Element) deps.item(i), "artifactId"));
        }
        List<String> expected = new ArrayList<>(modules());
        expected.removeAll(List.of("bom", "benchmarks"));
        assertEquals(expected, listed, "bom/pom.xml lists the library modules in the build's order");
    }

    @Test
    void everyModuleHasAnAutomaticModuleNameOfItsOwnPackages() throws Exception {
        List<String> seen = new ArrayList<>();
        for (String m : modules()) {
            if (m.equals("bom")) {
                continue;
            }
            NodeList p = read(ROOT.resolve(m).resolve("pom.xml")).getElementsByTagName("myelin.module");
            assertEquals(1, p.getLength(), m + "/pom.xml sets myelin.module once");
            String name = p.item(0).getTextContent().strip();
            assertTrue(name.matches("org\\.myelin(\\.[a-z][a-z0-9]*)+"), m + ": " + name);
            assertTrue(Files.isDirectory(ROOT.resolve(m).resolve("src/main/java").resolve(name.replace('.', '/'))),
                    m + ": " + name + " is not a package of the module");
            assertTrue(!seen.contains(name), m + ": " + name + " is used twice");
            seen.add(name);
        }
    }
}
