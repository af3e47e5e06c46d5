/* cli_error — how every command prints an error: one line on standard error,
 * "cdnsim COMMAND: message". Control characters that came from the input (a
 * raw newline inside a JSON key, a carriage return in a CSV id) are escaped,
 * so the message stays one line whatever the input held and a script can
 * read it with one read. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "sim/cfg.h"

void cli_error(const char *command, const char *msg)
{
    fprintf(stderr, "cdnsim %s: ", command);
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        if (*p >= 0x20 && *p != 0x7f) fputc(*p, stderr);
        else if (*p == '\n') fputs("\\n", stderr);
        else if (*p == '\r') fputs("\\r", stderr);
        else if (*p == '\t') fputs("\\t", stderr);
        else fprintf(stderr, "\\u%04x", *p);
    }
    fputc('\n', stderr);
}

int cli_bad_option(const char *command, const char *arg, const char *const *known)
{
    int n = 0;
    while (known[n]) n++;
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)strcspn(arg, "="), arg); /* --opt=value */
    const char *near = cfg_nearest(word, known, n);
    if (near) fprintf(stderr, "cdnsim %s: unknown option %s; did you mean %s?\n", command, arg, near);
    else fprintf(stderr, "cdnsim %s: unknown option %s\n", command, arg);
    fprintf(stderr, "(see 'cdnsim %s --help')\n", command);
    return 2;
}
