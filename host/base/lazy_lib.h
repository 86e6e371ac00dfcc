/* Shared libraries opened when first used (dlopen), not when nianbao
 * starts: linked in, libxml2 (with ICU), libzip (with libcrypto) and
 * libxlsxwriter made the start of every command, a `check` of one text
 * report included, about three times as costly as everything else it does.
 * host/io/lazy_*.c (and host/store/lazy_sqlite.c) define the functions
 * nianbao calls from each such library; each binds the library's own
 * function on its first call. */
#ifndef NB_LAZY_LIB_H
#define NB_LAZY_LIB_H

#include <stdbool.h>

typedef struct {
    const char *sonames[3]; /* tried in order; NULL ends the list */
    const char *package;    /* the Debian package that installs it, for the message */
    void (*opened)(void);   /* when set: called once, right after the library is opened */
    void *handle;
    bool tried;
} nb_lazy_lib;

/* The library's handle, opened on the first call; NULL when none of its
 * names opens (the caller says what is missing). */
void *nb_lazy_open(nb_lazy_lib *lib);

/* Stores the address of the library's function `name` in *fn (a function
 * pointer, of the function's own type).  A library or function that cannot
 * be found ends the process with one Chinese line naming the package to
 * install (exit 2): nothing can go on without it, and nothing has been
 * written yet that a later step would complete. */
void nb_lazy_bind(nb_lazy_lib *lib, const char *name, void *fn);

/* A function of the library, as its header declares it: the first call binds it. */
#define NB_LAZY_FN(lib, ret, name, params, args)                                                                      \
    ret name params                                                                                                    \
    {                                                                                                                  \
        static ret(*fn) params;                                                                                        \
        if (!fn)                                                                                                       \
            nb_lazy_bind(&(lib), #name, &fn);                                                                          \
        return fn args;                                                                                                \
    }

/* The same for a function without a result. */
#define NB_LAZY_VOID(lib, name, params, args)                                                                         \
    void name params                                                                                                   \
    {                                                                                                                  \
        static void(*fn) params;                                                                                       \
        if (!fn)                                                                                                       \
            nb_lazy_bind(&(lib), #name, &fn);                                                                          \
        fn args;                                                                                                       \
    }

#endif
