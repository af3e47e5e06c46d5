/* textfile — opens the program's input files, and reads a whole text file
 * (scenarios, results, AS graphs) into memory, refusing what cannot be one:
 * only regular files are opened (never blocking on a named pipe, never
 * reading a device such as /dev/zero), and reading stops at the first NUL
 * byte or past TEXTFILE_MAX bytes, both errors. */
#ifndef CDNSIM_TEXTFILE_H
#define CDNSIM_TEXTFILE_H

#include <stddef.h>
#include <stdio.h>

/* The largest text file read: no input of ours comes near it. */
#define TEXTFILE_MAX (1 << 30)

/* Opens path for reading as a stream, refusing anything but a regular file
 * (a named pipe, a device, a socket, a folder): the open itself is
 * non-blocking, so a FIFO with no writer never hangs the program, and the
 * type is checked on the open descriptor. NULL with the reason in why
 * (without the path). Every input file of the program is opened here. */
FILE *textfile_open(const char *path, char *why, size_t whylen);

/* The file's bytes, NUL-terminated (*len excludes the terminator), for the
 * caller to free; NULL on failure with the reason in why, without the path
 * (the caller names the file as its messages do), and errno ENOMEM when it
 * ran out of memory. */
char *textfile_read(const char *path, size_t *len, char *why, size_t whylen);

#endif
