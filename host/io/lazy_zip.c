/* libzip, opened when the first zip (.docx, .xlsx) is read or written
 * (base/lazy_lib.h: linked in, it and libcrypto were loaded at every
 * start).  Each function nianbao calls is defined here and binds libzip's
 * own on its first call. */
#include "base/lazy_lib.h"
#include "io/lazy_open.h"
#include <zip.h>

static nb_lazy_lib zip = {.sonames = {"libzip.so.4", "libzip.so", NULL}, .package = "libzip4"};

bool nb_lazy_open_zip(void)
{
    return nb_lazy_open(&zip) != NULL;
}

NB_LAZY_FN(zip, int, zip_close, (zip_t *za), (za))
NB_LAZY_VOID(zip, zip_discard, (zip_t *za), (za))
NB_LAZY_VOID(zip, zip_error_fini, (zip_error_t *e), (e))
NB_LAZY_VOID(zip, zip_error_init, (zip_error_t *e), (e))
NB_LAZY_FN(zip, const char *, zip_error_strerror, (zip_error_t *e), (e))
NB_LAZY_FN(zip, int, zip_fclose, (zip_file_t *f), (f))
NB_LAZY_FN(zip, zip_int64_t, zip_file_add, (zip_t *za, const char *name, zip_source_t *s, zip_flags_t flags),
           (za, name, s, flags))
NB_LAZY_FN(zip, int, zip_file_set_mtime, (zip_t *za, zip_uint64_t i, time_t t, zip_flags_t flags), (za, i, t, flags))
NB_LAZY_FN(zip, zip_file_t *, zip_fopen, (zip_t *za, const char *name, zip_flags_t flags), (za, name, flags))
NB_LAZY_FN(zip, zip_int64_t, zip_fread, (zip_file_t *f, void *buf, zip_uint64_t n), (f, buf, n))
NB_LAZY_FN(zip, zip_int64_t, zip_get_num_entries, (zip_t *za, zip_flags_t flags), (za, flags))
NB_LAZY_FN(zip, zip_int64_t, zip_name_locate, (zip_t *za, const char *name, zip_flags_t flags), (za, name, flags))
NB_LAZY_FN(zip, zip_t *, zip_open_from_source, (zip_source_t *s, int flags, zip_error_t *e), (s, flags, e))
NB_LAZY_FN(zip, zip_source_t *, zip_source_buffer, (zip_t *za, const void *data, zip_uint64_t n, int freep),
           (za, data, n, freep))
NB_LAZY_FN(zip, zip_source_t *, zip_source_buffer_create, (const void *data, zip_uint64_t n, int freep, zip_error_t *e),
           (data, n, freep, e))
NB_LAZY_FN(zip, int, zip_source_close, (zip_source_t *s), (s))
NB_LAZY_VOID(zip, zip_source_free, (zip_source_t *s), (s))
NB_LAZY_VOID(zip, zip_source_keep, (zip_source_t *s), (s))
NB_LAZY_FN(zip, int, zip_source_open, (zip_source_t *s), (s))
NB_LAZY_FN(zip, zip_int64_t, zip_source_read, (zip_source_t *s, void *buf, zip_uint64_t n), (s, buf, n))
NB_LAZY_FN(zip, int, zip_stat, (zip_t *za, const char *name, zip_flags_t flags, zip_stat_t *st), (za, name, flags, st))
NB_LAZY_FN(zip, int, zip_stat_index, (zip_t *za, zip_uint64_t i, zip_flags_t flags, zip_stat_t *st), (za, i, flags, st))
NB_LAZY_FN(zip, const char *, zip_strerror, (zip_t *za), (za))
