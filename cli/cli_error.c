/* cli_error — how every command prints an error: one line on standard error,
 * "cdnsim COMMAND: message". Control characters that came from the input (a
 * raw newline inside a JSON key, a carriage return in a CSV id) are escaped,
 * so the message stays one line whatever the input held and a script can
 * read it with one read; bytes that are not UTF-8 are written \xNN, so the
 * message is always valid UTF-8 (a terminal or a JSON log takes it as is). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "sim/cfg.h"

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80) return 0;
    if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
        (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
        return 0;
    return n;
}

void cli_error(const char *command, const char *msg)
{
    fprintf(stderr, "cdnsim %s: ", command);
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        size_t u;
        if (*p >= 0x20 && *p < 0x7f) fputc(*p, stderr);
        else if (*p == '\n') fputs("\\n", stderr);
        else if (*p == '\r') fputs("\\r", stderr);
        else if (*p == '\t') fputs("\\t", stderr);
        else if (*p >= 0x80 && (u = utf8_len(p)) > 0) { fwrite(p, 1, u, stderr); p += u - 1; }
        else if (*p >= 0x80) fprintf(stderr, "\\x%02x", *p); /* not UTF-8: never echoed raw */
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
