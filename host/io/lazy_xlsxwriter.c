/* libxlsxwriter, opened when the first fill-in spreadsheet is written
 * (base/lazy_lib.h: linked in, it and minizip were loaded at every start).
 * Each function nianbao calls is defined here and binds the library's own
 * on its first call. */
#include "base/lazy_lib.h"
#include <xlsxwriter.h>

static nb_lazy_lib lxw = {.sonames = {"libxlsxwriter.so.4", "libxlsxwriter.so", NULL}, .package = "libxlsxwriter4"};

typedef lxw_worksheet ws;
typedef lxw_format fmt;

NB_LAZY_VOID(lxw, format_set_align, (fmt *f, uint8_t v), (f, v))
NB_LAZY_VOID(lxw, format_set_bg_color, (fmt *f, lxw_color_t v), (f, v))
NB_LAZY_VOID(lxw, format_set_bold, (fmt *f), (f))
NB_LAZY_VOID(lxw, format_set_border, (fmt *f, uint8_t v), (f, v))
NB_LAZY_VOID(lxw, format_set_font_color, (fmt *f, lxw_color_t v), (f, v))
NB_LAZY_VOID(lxw, format_set_font_name, (fmt *f, const char *v), (f, v))
NB_LAZY_VOID(lxw, format_set_font_size, (fmt *f, double v), (f, v))
NB_LAZY_VOID(lxw, format_set_num_format, (fmt *f, const char *v), (f, v))
NB_LAZY_VOID(lxw, format_set_text_wrap, (fmt *f), (f))
NB_LAZY_VOID(lxw, format_set_unlocked, (fmt *f), (f))
NB_LAZY_FN(lxw, char *, lxw_strerror, (lxw_error e), (e))
NB_LAZY_VOID(lxw, lxw_workbook_free, (lxw_workbook *wb), (wb))
NB_LAZY_FN(lxw, fmt *, workbook_add_format, (lxw_workbook *wb), (wb))
NB_LAZY_FN(lxw, ws *, workbook_add_worksheet, (lxw_workbook *wb, const char *name), (wb, name))
NB_LAZY_FN(lxw, lxw_error, workbook_close, (lxw_workbook *wb), (wb))
NB_LAZY_FN(lxw, lxw_workbook *, workbook_new_opt, (const char *file, lxw_workbook_options *o), (file, o))
NB_LAZY_FN(lxw, lxw_error, worksheet_data_validation_range,
           (ws *w, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2, lxw_data_validation *v), (w, r1, c1, r2, c2, v))
NB_LAZY_VOID(lxw, worksheet_freeze_panes, (ws *w, lxw_row_t r, lxw_col_t c), (w, r, c))
NB_LAZY_FN(lxw, lxw_error, worksheet_merge_range,
           (ws *w, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2, const char *s, fmt *f), (w, r1, c1, r2, c2, s, f))
NB_LAZY_FN(lxw, lxw_error, worksheet_set_column, (ws *w, lxw_col_t c1, lxw_col_t c2, double width, fmt *f),
           (w, c1, c2, width, f))
NB_LAZY_FN(lxw, lxw_error, worksheet_set_row, (ws *w, lxw_row_t r, double height, fmt *f), (w, r, height, f))
NB_LAZY_FN(lxw, lxw_error, worksheet_write_blank, (ws *w, lxw_row_t r, lxw_col_t c, fmt *f), (w, r, c, f))
NB_LAZY_FN(lxw, lxw_error, worksheet_write_comment_opt,
           (ws *w, lxw_row_t r, lxw_col_t c, const char *s, lxw_comment_options *o), (w, r, c, s, o))
NB_LAZY_FN(lxw, lxw_error, worksheet_write_formula_num,
           (ws *w, lxw_row_t r, lxw_col_t c, const char *formula, fmt *f, double v), (w, r, c, formula, f, v))
NB_LAZY_FN(lxw, lxw_error, worksheet_write_formula_str,
           (ws *w, lxw_row_t r, lxw_col_t c, const char *formula, fmt *f, const char *v), (w, r, c, formula, f, v))
NB_LAZY_FN(lxw, lxw_error, worksheet_write_number, (ws *w, lxw_row_t r, lxw_col_t c, double v, fmt *f), (w, r, c, v, f))
NB_LAZY_FN(lxw, lxw_error, worksheet_write_string, (ws *w, lxw_row_t r, lxw_col_t c, const char *s, fmt *f),
           (w, r, c, s, f))
