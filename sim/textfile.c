/* textfile — whole-file reads; see textfile.h. */
#include "sim/textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a named pipe" : S_ISCHR(m) ? "a character device"
         : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

FILE *textfile_open(const char *path, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) { snprintf(why, whylen, "cannot open: %s", strerror(errno)); return NULL; }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(why, whylen, "cannot open: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "is %s, not a regular file", kind(st.st_mode));
        close(fd);
        return NULL;
    }
    /* a regular file never blocks; reads go back to plain blocking ones */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        snprintf(why, whylen, "cannot open: %s", strerror(errno));
        close(fd);
    }
    return f;
}

char *textfile_read(const char *path, size_t *len, char *why, size_t whylen)
{
    FILE *f = textfile_open(path, why, whylen);
    if (!f) return NULL;
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
    if (failed || nul || more) {
        free(buf);
        errno = !buf ? ENOMEM : EINVAL; /* out of memory is no fault of the file's */
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}
