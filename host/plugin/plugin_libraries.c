/* See plugin_libraries.h.  The names are the host's, not a format's: which
 * of its libraries a host function opens is the host's own knowledge; the
 * plugin says which host functions it calls. */
#include "plugin/plugin_libraries.h"
#include "io/lazy_open.h"
#include <stddef.h>
#include <string.h>

static const struct {
    const char *name;
    bool (*open)(void);
} libraries[] = {
    {"xml2", nb_lazy_open_xml2},
    {"zip", nb_lazy_open_zip},
    {"poppler", nb_lazy_open_poppler},
};

static bool (*find(const char *name))(void)
{
    for (size_t i = 0; i < sizeof libraries / sizeof libraries[0]; i++)
        if (strcmp(libraries[i].name, name) == 0)
            return libraries[i].open;
    return NULL;
}

bool nb_plugin_library_known(const char *name)
{
    return find(name) != NULL;
}

void nb_plugin_library_open(const char *name)
{
    bool (*open)(void) = find(name);
    if (open)
        (void)open();
}
