/* cfg — typed, range-checked reading of JSON configuration, with messages
 * that name the file and the JSON path at fault.
 *
 * Errors are sticky: the first one is kept in the cfg_t and every later call
 * is a harmless no-op, so a parser reads all its keys straight through and
 * checks cfg_failed() once. Each object view remembers the keys it was asked
 * about; cfg_done() then reports any other key as unknown, suggesting the
 * nearest known one, so a misspelt key is never silently ignored.
 *
 *   x.json: $.cache.capacity_objects: expected a positive integer, got "a lot"
 */
#ifndef CDNSIM_CFG_H
#define CDNSIM_CFG_H

#include <stdbool.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#define CFG_PATH_MAX 256
#define CFG_KEYS_MAX 64

typedef struct cfg {
    const char *file;    /* named in every message */
    bool failed;
    bool oom;            /* the failure is running out of memory, not bad input */
    char err[1024];      /* the first error, complete with file and path */
    /* cfg_elem's cursor: element elem_i of elem_arr is elem_at, so walking
     * an array in order costs one step an element, not a walk from its head */
    const cJSON *elem_arr, *elem_at;
    int elem_i;
} cfg_t;

typedef struct cfg_obj {
    cfg_t *c;
    const cJSON *json;   /* NULL for an absent optional object: getters give defaults */
    char path[CFG_PATH_MAX];
    const char *known[CFG_KEYS_MAX];
    int nknown;
} cfg_obj_t;

enum {
    CFG_REQUIRED = 1,    /* absence is an error */
    CFG_LO_OPEN = 2,     /* the lower bound itself is excluded (a "positive" number) */
};

void cfg_init(cfg_t *c, const char *file);
bool cfg_failed(const cfg_t *c);
void cfg_fail(cfg_t *c, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Fails with "out of memory" at path and marks the failure as one (exit 1,
 * a runtime failure, where bad input is exit 2). */
void cfg_nomem(cfg_t *c, const char *path);
bool cfg_oom(const cfg_t *c);

/* Reads (sim/textfile.h: no NUL bytes, bounded) and parses a JSON file; on
 * failure sets the error (with line and column for syntax errors) and
 * returns NULL. */
cJSON *cfg_load_file(cfg_t *c, const char *filename);
/* Parses JSON text: one value, nothing but white space after it, and no
 * escaped NUL (\u0000) in any string or key (C strings would silently end
 * there: "lru\u0000x" read as "lru"). Running out of memory is cfg_oom. */
cJSON *cfg_parse(cfg_t *c, const char *text, size_t len);

/* A view of `json` (which must be an object) at `path`. */
bool cfg_view(cfg_t *c, const cJSON *json, const char *path, cfg_obj_t *out);

/* Child object `key` of o; an absent optional child gives a view over NULL. */
bool cfg_child(cfg_obj_t *o, const char *key, cfg_obj_t *out, int flags);
/* Array `key`; *out is NULL when absent. */
bool cfg_array(cfg_obj_t *o, const char *key, const cJSON **out, int flags);
/* View of element i of array `key`, which must be an object. Walking i = 0,
 * 1, 2, ... in order costs O(1) an element (a cursor in the cfg_t). */
bool cfg_elem(cfg_obj_t *o, const char *key, const cJSON *arr, int i, cfg_obj_t *out);

/* Scalar getters: return true when the key is present and valid (then *out
 * is set); absent keys leave *out untouched (the default). */
bool cfg_int(cfg_obj_t *o, const char *key, int64_t *out, int64_t lo, int64_t hi, int flags);
bool cfg_num(cfg_obj_t *o, const char *key, double *out, double lo, double hi, int flags);
bool cfg_bool(cfg_obj_t *o, const char *key, bool *out, int flags);
bool cfg_str(cfg_obj_t *o, const char *key, const char **out, int flags);
/* A string that must be one of names[] (NULL-terminated); *out is its index. */
bool cfg_enum(cfg_obj_t *o, const char *key, int *out, const char *const *names, int flags);
/* Marks a key as known without reading it (read elsewhere, or raw). */
const cJSON *cfg_raw(cfg_obj_t *o, const char *key);

/* The candidate nearest to word in edit distance when it is near enough to
 * be a slip (the did-you-mean of unknown keys and values), else NULL. */
const char *cfg_nearest(const char *word, const char *const *cands, int n);

/* Reports keys of o that no getter asked about. */
void cfg_done(cfg_obj_t *o);

/* Applies one `--set PATH=VALUE` to a JSON tree: PATH is dot-separated and
 * missing objects on the way are created; VALUE is read as JSON where it
 * parses, else as a string. Returns 0, or -1 with a message in err. */
int cfg_apply_set(cJSON *root, const char *assignment, char *err, size_t errlen);

#endif
