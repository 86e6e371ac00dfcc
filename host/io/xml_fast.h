/* A fast path for the plain XML that Word, WPS and nianbao write
 * (document.xml, styles.xml): UTF-8, elements, attributes, namespaces,
 * text with the predefined entities and character references, comments.
 * libxml2's SAX2 parser spent most of a .docx's import looking names up in
 * its dictionary; this scanner reads such a part at a few instructions a
 * byte and calls the same SAX2 callbacks libxml2 would (startElementNs,
 * endElementNs, characters) with the same arguments: local names and
 * namespace URIs interned (one pointer per name within a parse), attribute
 * values as pointers into the data.  On anything outside that subset (a
 * DTD, a CDATA section, a processing instruction, an attribute value with
 * an entity or a line break, a carriage return in text, a name that is not
 * ASCII, anything not well-formed) it stops and says no: the reader undoes
 * what the calls so far made and hands the part to libxml2, which decides. */
#ifndef NB_XML_FAST_H
#define NB_XML_FAST_H
#include <libxml/parser.h>
#include <stdbool.h>
#include <stddef.h>

/* Parses data[0..len) through h's startElementNs, endElementNs and
 * characters with ctx; false when the part is outside the subset (some
 * calls may have been made). */
bool nb_xml_fast_parse(const char *data, size_t len, const xmlSAXHandler *h, void *ctx);

#endif
