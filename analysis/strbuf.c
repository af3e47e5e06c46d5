/* strbuf — growing text buffer; see strbuf.h. */
#include "analysis/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(strbuf_t *b, size_t n)
{
    if (b->failed) return false;
    if (b->len + n + 1 <= b->cap) return true;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->len + n + 1) nc *= 2;
    char *s = realloc(b->s, nc);
    if (!s) { b->failed = true; return false; }
    b->s = s;
    b->cap = nc;
    return true;
}

void strbuf_put(strbuf_t *b, const char *s, size_t n)
{
    if (!reserve(b, n)) return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void strbuf_printf(strbuf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) { b->failed = true; return; }
    if (!reserve(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *strbuf_text(const strbuf_t *b)
{
    if (b->failed) return NULL;
    return b->s ? b->s : "";
}

void strbuf_free(strbuf_t *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}
