/* libqpdf, opened when the first PDF is read (base/lazy_lib.h), for
 * io/pdf_unpack.c.  It is optional: nb_lazy_open_qpdf says whether it is
 * there, and the functions below are called only when it is (a missing one
 * would end the process). */
#include "base/lazy_lib.h"
#include "io/lazy_open.h"
#include <qpdf/qpdf-c.h>

static nb_lazy_lib qpdf = {.sonames = {"libqpdf.so.29", "libqpdf.so", NULL}, .package = "libqpdf29"};

bool nb_lazy_open_qpdf(void)
{
    return nb_lazy_open(&qpdf) != NULL;
}

NB_LAZY_FN(qpdf, qpdf_data, qpdf_init, (void), ())
NB_LAZY_VOID(qpdf, qpdf_cleanup, (qpdf_data * q), (q))
NB_LAZY_VOID(qpdf, qpdf_silence_errors, (qpdf_data q), (q))
NB_LAZY_VOID(qpdf, qpdf_set_suppress_warnings, (qpdf_data q, QPDF_BOOL v), (q, v))
NB_LAZY_FN(qpdf, QPDF_ERROR_CODE, qpdf_read_memory,
           (qpdf_data q, char const *description, char const *buffer, unsigned long long size, char const *password),
           (q, description, buffer, size, password))
NB_LAZY_FN(qpdf, QPDF_BOOL, qpdf_more_warnings, (qpdf_data q), (q))
NB_LAZY_FN(qpdf, QPDF_BOOL, qpdf_has_error, (qpdf_data q), (q))
NB_LAZY_FN(qpdf, qpdf_error, qpdf_get_error, (qpdf_data q), (q))
NB_LAZY_FN(qpdf, QPDF_BOOL, qpdf_is_encrypted, (qpdf_data q), (q))
NB_LAZY_FN(qpdf, qpdf_oh, qpdf_get_trailer, (qpdf_data q), (q))
NB_LAZY_FN(qpdf, qpdf_oh, qpdf_get_object_by_id, (qpdf_data q, int objid, int generation), (q, objid, generation))
NB_LAZY_VOID(qpdf, qpdf_oh_release_all, (qpdf_data q), (q))
NB_LAZY_FN(qpdf, qpdf_oh, qpdf_oh_get_key, (qpdf_data q, qpdf_oh oh, char const *key), (q, oh, key))
NB_LAZY_FN(qpdf, QPDF_BOOL, qpdf_oh_has_key, (qpdf_data q, qpdf_oh oh, char const *key), (q, oh, key))
NB_LAZY_FN(qpdf, QPDF_BOOL, qpdf_oh_is_stream, (qpdf_data q, qpdf_oh oh), (q, oh))
NB_LAZY_FN(qpdf, QPDF_BOOL, qpdf_oh_is_integer, (qpdf_data q, qpdf_oh oh), (q, oh))
NB_LAZY_FN(qpdf, int, qpdf_oh_get_int_value_as_int, (qpdf_data q, qpdf_oh oh), (q, oh))
NB_LAZY_FN(qpdf, QPDF_BOOL, qpdf_oh_is_dictionary_of_type, (qpdf_data q, qpdf_oh oh, char const *type, char const *subtype),
           (q, oh, type, subtype))
NB_LAZY_FN(qpdf, qpdf_oh, qpdf_oh_get_dict, (qpdf_data q, qpdf_oh oh), (q, oh))
NB_LAZY_FN(qpdf, QPDF_BOOL, qpdf_oh_is_array, (qpdf_data q, qpdf_oh oh), (q, oh))
NB_LAZY_FN(qpdf, int, qpdf_oh_get_array_n_items, (qpdf_data q, qpdf_oh oh), (q, oh))
NB_LAZY_FN(qpdf, qpdf_oh, qpdf_oh_get_array_item, (qpdf_data q, qpdf_oh oh, int n), (q, oh, n))
NB_LAZY_FN(qpdf, int, qpdf_get_num_pages, (qpdf_data q), (q))
NB_LAZY_FN(qpdf, qpdf_oh, qpdf_get_page_n, (qpdf_data q, size_t i), (q, i))
NB_LAZY_FN(qpdf, qpdf_oh, qpdf_oh_new_null, (qpdf_data q), (q))
NB_LAZY_FN(qpdf, QPDF_ERROR_CODE, qpdf_oh_get_stream_data,
           (qpdf_data q, qpdf_oh oh, enum qpdf_stream_decode_level_e level, QPDF_BOOL *filtered, unsigned char **bufp,
            size_t *len),
           (q, oh, level, filtered, bufp, len))
NB_LAZY_VOID(qpdf, qpdf_oh_replace_stream_data,
             (qpdf_data q, qpdf_oh oh, unsigned char const *buf, size_t len, qpdf_oh filter, qpdf_oh decode_parms),
             (q, oh, buf, len, filter, decode_parms))
NB_LAZY_FN(qpdf, QPDF_ERROR_CODE, qpdf_init_write_memory, (qpdf_data q), (q))
NB_LAZY_VOID(qpdf, qpdf_set_compress_streams, (qpdf_data q, QPDF_BOOL v), (q, v))
NB_LAZY_VOID(qpdf, qpdf_set_object_stream_mode, (qpdf_data q, enum qpdf_object_stream_e mode), (q, mode))
NB_LAZY_VOID(qpdf, qpdf_set_decode_level, (qpdf_data q, enum qpdf_stream_decode_level_e level), (q, level))
NB_LAZY_FN(qpdf, QPDF_ERROR_CODE, qpdf_write, (qpdf_data q), (q))
NB_LAZY_FN(qpdf, size_t, qpdf_get_buffer_length, (qpdf_data q), (q))
NB_LAZY_FN(qpdf, unsigned char const *, qpdf_get_buffer, (qpdf_data q), (q))
