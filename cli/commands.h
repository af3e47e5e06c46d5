/* commands — the subcommands of cdnsim; cli/main.c dispatches to them.
 *
 * Each takes the arguments after its own name (argv[0] is the subcommand) and
 * returns the process exit status: 0 success, 1 runtime failure, 2 bad input
 * or usage. Each prints its own --help. Only these functions print errors,
 * through cli_error. */
#ifndef CDNSIM_COMMANDS_H
#define CDNSIM_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_topogen(int argc, char **argv);
int cmd_tracegen(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_catchments(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_mrc(int argc, char **argv);

/* Prints "cdnsim COMMAND: msg" as one line (control characters escaped). */
void cli_error(const char *command, const char *msg);
/* Prints that arg is not an option of command, with the nearest of known[]
 * (NULL-terminated) as a did-you-mean when one is close; returns 2. */
int cli_bad_option(const char *command, const char *arg, const char *const *known);

#endif
