package io.remoteclip.data.annotation;

import io.remoteclip.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/** A minimal XML element tree that remembers the line of every element (for error messages). */
final class XmlTree {
  final String name;
  final int line;
  final List<XmlTree> children = new ArrayList<>();
  final StringBuilder text = new StringBuilder();

  private XmlTree(String name, int line) {
    this.name = name;
    this.line = line;
  }

  /** First direct child with this name, or null. */
  XmlTree child(String childName) {
    for (XmlTree c : children) {
      if (c.name.equals(childName)) {
        return c;
      }
    }
    return null;
  }

  List<XmlTree> all(String childName) {
    List<XmlTree> out = new ArrayList<>();
    for (XmlTree c : children) {
      if (c.name.equals(childName)) {
        out.add(c);
      }
    }
    return out;
  }

  String text() {
    return text.toString().trim();
  }

  /** Trimmed text of a direct child, or null when absent. */
  String childText(String childName) {
    XmlTree c = child(childName);
    return c == null ? null : c.text();
  }

  static XmlTree parse(Path file) throws IOException, DataFormatException {
    try (InputStream in = Files.newInputStream(file)) {
      SAXParserFactory f = SAXParserFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      SAXParser parser = f.newSAXParser();
      Builder b = new Builder();
      parser.parse(in, b);
      if (b.root == null) {
        throw new DataFormatException(file + ": empty XML document");
      }
      return b.root;
    } catch (SAXParseException e) {
      throw new ParseError(file, e.getLineNumber(), "malformed XML: " + e.getMessage());
    } catch (SAXException | ParserConfigurationException e) {
      throw new DataFormatException(file + ": malformed XML: " + e.getMessage(), e);
    }
  }

  /** Malformed XML, with the line the parser stopped at. */
  static final class ParseError extends DataFormatException {
    final int line;
    final String problem;

    ParseError(Path file, int line, String problem) {
      super(file + ":" + line + ": " + problem);
      this.line = line;
      this.problem = problem;
    }
  }

  /** Records an unparsable file as a skipped-file issue at the parser's line. */
  static void report(Annotations out, Path file, DataFormatException e) {
    if (e instanceof ParseError p) {
      out.issue(file, p.line, p.problem, AnnotationIssue.Action.SKIPPED_FILE);
    } else {
      out.issue(file, 0, e.getMessage().replace(file + ": ", ""), AnnotationIssue.Action.SKIPPED_FILE);
    }
  }

  private static final class Builder extends DefaultHandler {
    XmlTree root;
    final Deque<XmlTree> stack = new ArrayDeque<>();
    Locator locator;

    @Override
    public void setDocumentLocator(Locator locator) {
      this.locator = locator;
    }

    @Override
    public void startElement(String uri, String local, String qName, Attributes atts) {
      XmlTree node = new XmlTree(qName, locator == null ? 0 : locator.getLineNumber());
      if (stack.isEmpty()) {
        root = node;
      } else {
        stack.peek().children.add(node);
      }
      stack.push(node);
    }

    @Override
    public void endElement(String uri, String local, String qName) {
      stack.pop();
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      if (!stack.isEmpty()) {
        stack.peek().text.append(ch, start, length);
      }
    }
  }
}
