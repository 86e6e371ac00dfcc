/* libxml2, opened when the first .xlsx, HTML page or .docx is read
 * (base/lazy_lib.h: linked in, it and ICU loaded at every start).  Each
 * function the readers call (the .docx reader's SAX parse included) is
 * defined here and binds libxml2's own on its
 * first call; xmlFree, a variable of libxml2's, the same way.  Opened, it
 * allocates through io/lib_alloc.c (xmlMemSetup). */
#include "base/lazy_lib.h"
#include "io/lazy_open.h"
#include "io/lib_alloc.h"
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

static void opened(void);

static nb_lazy_lib xml2 = {.sonames = {"libxml2.so.2", "libxml2.so", NULL}, .package = "libxml2", .opened = opened};

bool nb_lazy_open_xml2(void)
{
    return nb_lazy_open(&xml2) != NULL;
}

/* libxml2's allocations through io/lib_alloc.c from its first one on */
static void opened(void)
{
    int (*mem_setup)(xmlFreeFunc, xmlMallocFunc, xmlReallocFunc, xmlStrdupFunc);
    nb_lazy_bind(&xml2, "xmlMemSetup", &mem_setup);
    nb_lib_alloc_xml(mem_setup);
}

NB_LAZY_FN(xml2, xmlDocPtr, xmlReadMemory,
           (const char *buffer, int size, const char *url, const char *encoding, int options),
           (buffer, size, url, encoding, options))
NB_LAZY_FN(xml2, htmlParserCtxtPtr, htmlCreateMemoryParserCtxt, (const char *buffer, int size), (buffer, size))
NB_LAZY_FN(xml2, int, htmlCtxtUseOptions, (htmlParserCtxtPtr ctxt, int options), (ctxt, options))
NB_LAZY_FN(xml2, int, htmlParseDocument, (htmlParserCtxtPtr ctxt), (ctxt))
NB_LAZY_VOID(xml2, htmlFreeParserCtxt, (htmlParserCtxtPtr ctxt), (ctxt))
NB_LAZY_FN(xml2, xmlCharEncodingHandlerPtr, xmlFindCharEncodingHandler, (const char *name), (name))
NB_LAZY_FN(xml2, int, xmlSwitchToEncoding, (xmlParserCtxtPtr ctxt, xmlCharEncodingHandlerPtr handler),
           (ctxt, handler))
NB_LAZY_VOID(xml2, xmlFreeDoc, (xmlDocPtr doc), (doc))
NB_LAZY_FN(xml2, xmlParserCtxtPtr, xmlCreateIOParserCtxt,
           (xmlSAXHandlerPtr sax, void *user_data, xmlInputReadCallback ioread, xmlInputCloseCallback ioclose,
            void *ioctx, xmlCharEncoding enc),
           (sax, user_data, ioread, ioclose, ioctx, enc))
NB_LAZY_FN(xml2, int, xmlCtxtUseOptions, (xmlParserCtxtPtr ctxt, int options), (ctxt, options))
NB_LAZY_FN(xml2, int, xmlParseDocument, (xmlParserCtxtPtr ctxt), (ctxt))
NB_LAZY_VOID(xml2, xmlFreeParserCtxt, (xmlParserCtxtPtr ctxt), (ctxt))
NB_LAZY_FN(xml2, xmlNodePtr, xmlDocGetRootElement, (const xmlDoc *doc), (doc))
NB_LAZY_FN(xml2, xmlChar *, xmlNodeGetContent, (const xmlNode *node), (node))
NB_LAZY_VOID(xml2, xmlSetGenericErrorFunc, (void *ctx, xmlGenericErrorFunc handler), (ctx, handler))

/* frees what libxml2 allocated, with libxml2's own xmlFree */
static void lazy_free(void *mem)
{
    static xmlFreeFunc *real;
    if (!real)
        nb_lazy_bind(&xml2, "xmlFree", &real);
    (*real)(mem);
}

xmlFreeFunc xmlFree = lazy_free;
