/* textfile — reads a whole text file (scenarios, results, AS graphs) into
 * memory, and refuses what cannot be one: reading stops at the first NUL
 * byte or past TEXTFILE_MAX bytes, both errors, so an endless input
 * (/dev/zero, a pipe that never ends) fails at once instead of filling
 * memory. */
#ifndef CDNSIM_TEXTFILE_H
#define CDNSIM_TEXTFILE_H

#include <stddef.h>

/* The largest text file read: no input of ours comes near it. */
#define TEXTFILE_MAX (1 << 30)

/* The file's bytes, NUL-terminated (*len excludes the terminator), for the
 * caller to free; NULL on failure with the reason in why, without the path
 * (the caller names the file as its messages do). */
char *textfile_read(const char *path, size_t *len, char *why, size_t whylen);

#endif
