/* strbuf — a growing text buffer for the analysis outputs (CSV, tables,
 * gnuplot scripts and data), built in memory and then written atomically.
 *
 * Failure is sticky: after an allocation fails every call is a no-op and
 * `failed` stays true, so writers append straight through and check once. */
#ifndef CDNSIM_STRBUF_H
#define CDNSIM_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strbuf {
    char *s;         /* NUL-terminated once anything was added; NULL before */
    size_t len, cap;
    bool failed;     /* an allocation failed: s is incomplete */
} strbuf_t;

void strbuf_put(strbuf_t *b, const char *s, size_t n);
void strbuf_printf(strbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text ("" when empty); NULL when an allocation failed. */
const char *strbuf_text(const strbuf_t *b);
void strbuf_free(strbuf_t *b);

#endif
