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

bool output_writable(const char *path, char *err, size_t errlen)
{
    if (!path || strcmp(path, "-") == 0) return true;
    struct stat st; /* the rename at the end would fail on a folder */
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: is a directory, not a file name", path);
        return false;
    }
    char *copy = strdup(path);
    if (!copy) { snprintf(err, errlen, "out of memory"); return false; }
    const char *dir = dirname(copy);
    bool ok = access(dir, W_OK | X_OK) == 0;
    if (!ok) snprintf(err, errlen, "%s: cannot write into %s: %s", path, dir, strerror(errno));
    free(copy);
    return ok;
}

int output_write_atomic(const char *path, const char *text, char *err, size_t errlen)
{
    size_t len = strlen(text);
    if (!path || strcmp(path, "-") == 0) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            snprintf(err, errlen, "standard output: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp) { snprintf(err, errlen, "%s: out of memory", path); return -1; }
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    fchmod(fd, 0644); /* mkstemp makes 0600; results are for everyone to read */
    FILE *f = fdopen(fd, "w");
    bool ok = f && fwrite(text, 1, len, f) == len;
    if (f) ok = (fclose(f) == 0) && ok; else close(fd);
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
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
