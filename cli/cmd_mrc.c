/* cmd_mrc — `cdnsim mrc` (placeholder until the curve lands). */
#include "cli/commands.h"

int cmd_mrc(int argc, char **argv)
{
    cli_error("mrc", "not implemented yet");
    return 1;
}
