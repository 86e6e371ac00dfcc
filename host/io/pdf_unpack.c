/* See pdf_unpack.h.  The streams are found by the dictionaries that name
 * them (a font's /ToUnicode, a font descriptor's /FontFile, /FontFile2,
 * /FontFile3), walking the objects by number, and by the pages'
 * /Contents; every other stream is written as it was.  Any doubt while
 * decoding (a warning while reading) leaves the streams as they were; a
 * stream qpdf cannot decode, or no room left, stops the decoding there. */
#include "io/pdf_unpack.h"
#include "base/xalloc.h"
#include "io/lazy_open.h"
#include <qpdf/qpdf-c.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t room;  /* bytes the decoded streams may still take */
    size_t count; /* streams decoded */
} budget;

/* Decodes the stream s when it is compressed; false when qpdf fails or the
 * decoded bytes pass the room left. */
static bool decode_stream(qpdf_data q, qpdf_oh s, budget *b)
{
    if (!qpdf_oh_is_stream(q, s) || !qpdf_oh_has_key(q, qpdf_oh_get_dict(q, s), "/Filter"))
        return true; /* not a stream, or stored plain (or decoded already: shared) */
    QPDF_BOOL filtered = QPDF_FALSE;
    unsigned char *buf = NULL;
    size_t n = 0;
    if (qpdf_oh_get_stream_data(q, s, qpdf_dl_generalized, &filtered, &buf, &n) != QPDF_SUCCESS || !filtered ||
        n > b->room) {
        free(buf);
        return false;
    }
    b->room -= n;
    b->count++;
    qpdf_oh none = qpdf_oh_new_null(q);
    qpdf_oh_replace_stream_data(q, s, buf, n, none, none);
    free(buf);
    return true;
}

/* Decodes the stream (or the streams of the array) under key of the
 * dictionary oh, as decode_stream. */
static bool decode(qpdf_data q, qpdf_oh oh, const char *key, budget *b)
{
    if (!qpdf_oh_has_key(q, oh, key))
        return true;
    qpdf_oh s = qpdf_oh_get_key(q, oh, key);
    if (!qpdf_oh_is_array(q, s))
        return decode_stream(q, s, b);
    int n = qpdf_oh_get_array_n_items(q, s);
    bool ok = true;
    for (int i = 0; i < n && ok; i++)
        ok = decode_stream(q, qpdf_oh_get_array_item(q, s, i), b);
    return ok;
}

/* The pages' content streams: poppler inflates a page's content with its
 * own inflate, a byte at a time as it parses it (4 of 114 M instructions
 * a document); zlib, through qpdf, is quicker.  false when the page tree
 * is not read. */
static bool decode_contents(qpdf_data q, budget *b)
{
    int n = qpdf_get_num_pages(q);
    bool ok = n >= 0;
    for (int i = 0; i < n && ok; i++) {
        ok = decode(q, qpdf_get_page_n(q, (size_t)i), "/Contents", b);
        qpdf_oh_release_all(q); /* the handles of this page */
    }
    return ok;
}

/* Decodes the font streams, then the pages' content, while they fit;
 * len: the file's size (a /Size far past what its bytes can hold is not
 * walked).  What is decoded stays decoded when it stops short (a stream
 * qpdf cannot decode, no room left): a stream stored plain holds what its
 * compressed bytes did. */
static void decode_fonts(qpdf_data q, size_t len, size_t max_bytes)
{
    qpdf_oh size = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Size");
    int n = qpdf_oh_is_integer(q, size) ? qpdf_oh_get_int_value_as_int(q, size) : 0;
    if (n <= 0 || (size_t)n > len / 8 + 16)
        return;
    budget b = {.room = max_bytes ? max_bytes : (size_t)-1, .count = 0};
    bool ok = true;
    for (int id = 1; id < n && ok; id++) {
        qpdf_oh oh = qpdf_get_object_by_id(q, id, 0);
        if (qpdf_oh_is_dictionary_of_type(q, oh, "/Font", ""))
            ok = decode(q, oh, "/ToUnicode", &b);
        else if (qpdf_oh_is_dictionary_of_type(q, oh, "/FontDescriptor", ""))
            ok = decode(q, oh, "/FontFile", &b) && decode(q, oh, "/FontFile2", &b) &&
                 decode(q, oh, "/FontFile3", &b);
        qpdf_oh_release_all(q); /* the handles of this object */
    }
    if (ok && b.count > 0)
        (void)decode_contents(q, &b);
}

/* qpdf's rewrite of the file read into q: its objects in object streams
 * (poppler parses an object stream once and keeps its objects, where it
 * parses a plain object again for every page that names it: a font's
 * dictionary, its /Widths and /Encoding arrays, 6 of 114 M instructions a
 * document), streams as they are in q.  NULL when qpdf fails. */
static char *rewrite(qpdf_data q, size_t *outlen)
{
    if (qpdf_init_write_memory(q) & QPDF_ERRORS)
        return NULL;
    qpdf_set_compress_streams(q, QPDF_FALSE);
    qpdf_set_decode_level(q, qpdf_dl_none);
    qpdf_set_object_stream_mode(q, qpdf_o_generate);
    if (qpdf_write(q) & QPDF_ERRORS)
        return NULL;
    *outlen = qpdf_get_buffer_length(q);
    char *out = nb_xmalloc(*outlen ? *outlen : 1);
    memcpy(out, qpdf_get_buffer(q), *outlen);
    return out;
}

static qpdf_data open_qpdf(void)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    return q;
}

static void close_qpdf(qpdf_data q)
{
    if (qpdf_has_error(q))
        (void)qpdf_get_error(q); /* taken: else qpdf_cleanup prints it on stderr */
    qpdf_cleanup(&q);
}

nb_unpack_result nb_pdf_unpack(const char *data, size_t len, size_t max_bytes, char **out, size_t *outlen)
{
    *out = NULL;
    if (!nb_lazy_open_qpdf())
        return NB_UNPACK_AS_IS;
    qpdf_data q = open_qpdf();
    QPDF_ERROR_CODE read = qpdf_read_memory(q, "pdf", data, len, NULL);
    nb_unpack_result res = NB_UNPACK_DAMAGED;
    if (qpdf_is_encrypted(q)) {
        res = NB_UNPACK_AS_IS; /* poppler says so, or reads it when it needs no password */
    } else if (!(read & QPDF_ERRORS)) {
        if (!(read & QPDF_WARNINGS)) /* a repaired file's streams are left as they were */
            decode_fonts(q, len, max_bytes);
        *out = rewrite(q, outlen);
        if (*out)
            res = NB_UNPACK_REWRITTEN;
    }
    close_qpdf(q);
    return res;
}
