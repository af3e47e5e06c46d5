/* textfile — whole-file reads; see textfile.h. */
#include "sim/textfile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *textfile_read(const char *path, size_t *len, char *why, size_t whylen)
{
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(why, whylen, "cannot open: %s", strerror(errno)); return NULL; }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    const char *nul = NULL;
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        nul = memchr(buf + n, 0, got);
        n += got;
        if (nul || n < cap || cap >= TEXTFILE_MAX) break;
        char *bigger = realloc(buf, cap * 2 + 1);
        if (!bigger) { free(buf); buf = NULL; break; }
        buf = bigger;
        cap *= 2;
    }
    int read_errno = errno;
    bool failed = !buf || ferror(f);
    bool more = !failed && !nul && n == cap && fgetc(f) != EOF;
    fclose(f);
    if (failed) snprintf(why, whylen, buf ? "cannot read: %s" : "out of memory reading it",
                         strerror(read_errno));
    else if (nul) snprintf(why, whylen, "byte %zu is a NUL byte: not a text file", (size_t)(nul - buf) + 1);
    else if (more) snprintf(why, whylen, "larger than %d MiB: not a file of ours", TEXTFILE_MAX >> 20);
    if (failed || nul || more) { free(buf); return NULL; }
    buf[n] = 0;
    *len = n;
    return buf;
}
