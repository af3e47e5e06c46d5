/* output — atomic result files; see output.h. */
#include "sim/output.h"

#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a file that is not a regular one is, for messages. */
static const char *kind(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a named pipe" : S_ISCHR(m) ? "a character device"
         : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* 0 when path is missing or (through symbolic links) a regular file. */
static int replaceable(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT) return 0;
        snprintf(err, errlen, "%s: cannot check the output file: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISREG(st.st_mode)) return 0;
    snprintf(err, errlen, "%s: is %s, not a file name to write a result to", path, kind(st.st_mode));
    return -1;
}

bool output_writable(const char *path, char *err, size_t errlen)
{
    if (!path || strcmp(path, "-") == 0) return true;
    if (replaceable(path, err, errlen) != 0) return false;
    char *copy = strdup(path);
    if (!copy) { snprintf(err, errlen, "out of memory"); return false; }
    const char *dir = dirname(copy);
    bool ok = access(dir, W_OK | X_OK) == 0;
    if (!ok) snprintf(err, errlen, "%s: cannot write into %s: %s", path, dir, strerror(errno));
    free(copy);
    return ok;
}

FILE *output_begin(const char *path, char **tmp, char *err, size_t errlen)
{
    *tmp = NULL;
    if (!path || strcmp(path, "-") == 0) return stdout;
    if (replaceable(path, err, errlen) != 0) return NULL;
    size_t plen = strlen(path);
    char *t = malloc(plen + 16);
    if (!t) { snprintf(err, errlen, "%s: out of memory", path); return NULL; }
    snprintf(t, plen + 16, "%s.tmp.XXXXXX", path); /* beside it: the rename stays in one file system */
    int fd = mkstemp(t);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        free(t);
        return NULL;
    }
    fchmod(fd, 0644); /* mkstemp makes 0600; results are for everyone to read */
    FILE *f = fdopen(fd, "w");
    if (!f) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        close(fd);
        unlink(t);
        free(t);
        return NULL;
    }
    *tmp = t;
    return f;
}

int output_commit(FILE *f, char *tmp, const char *path, bool ok, char *err, size_t errlen)
{
    if (f == stdout) {
        errno = 0;
        if (ok && (fflush(stdout) != 0 || ferror(stdout))) {
            snprintf(err, errlen, "standard output: %s", errno ? strerror(errno) : "write error");
            return -1;
        }
        return ok ? 0 : -1;
    }
    errno = 0;
    bool wrote = !ferror(f);
    wrote = (fclose(f) == 0) && wrote;
    int rc = -1;
    if (ok && !wrote)
        snprintf(err, errlen, "%s: cannot write: %s", path, errno ? strerror(errno) : "write error");
    /* checked again at the last moment: what appeared at path since the
     * start (a FIFO, a device) is never renamed over */
    else if (ok && replaceable(path, err, errlen) == 0) {
        if (rename(tmp, path) == 0) rc = 0;
        else snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    }
    if (rc != 0) unlink(tmp);
    free(tmp);
    return rc;
}

int output_write_atomic(const char *path, const char *text, char *err, size_t errlen)
{
    size_t len = strlen(text);
    char *tmp;
    FILE *f = output_begin(path, &tmp, err, errlen);
    if (!f) return -1;
    bool ok = fwrite(text, 1, len, f) == len;
    if (!ok && f == stdout) {
        snprintf(err, errlen, "standard output: %s", strerror(errno));
        return -1;
    }
    return output_commit(f, tmp, path, true, err, errlen);
}

int output_write_json(const char *path, const cJSON *json, char *err, size_t errlen)
{
    char *s = cJSON_Print(json);
    if (!s) { snprintf(err, errlen, "out of memory printing JSON"); return -1; }
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (!t) { cJSON_free(s); snprintf(err, errlen, "out of memory"); return -1; }
    t[n] = '\n';
    t[n + 1] = 0;
    int rc = output_write_atomic(path, t, err, errlen);
    free(t);
    return rc;
}
