/* A test shim (LD_PRELOAD) that sends the process SIGTERM the moment a
 * temporary file has been created, before mkstemp even returns: the one
 * instant where a render interrupted by a signal could leave its temporary
 * file behind, made certain instead of hoped for with sleeps
 * (tests/cases/output_integrity.sh). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
/* no <stdlib.h>: with 64-bit file offsets it renames mkstemp to mkstemp64,
 * and the shim must define both names */

static int created_then_terminated(const char *real_name, char *template)
{
    int (*real)(char *) = (int (*)(char *))dlsym(RTLD_NEXT, real_name);
    if (!real)
        __builtin_trap();
    int fd = real(template);
    if (fd >= 0)
        raise(SIGTERM);
    return fd;
}

int mkstemp(char *template);
int mkstemp64(char *template);

int mkstemp(char *template)
{
    return created_then_terminated("mkstemp", template);
}

int mkstemp64(char *template)
{
    return created_then_terminated("mkstemp64", template);
}
