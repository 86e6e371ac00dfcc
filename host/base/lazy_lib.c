/* See lazy_lib.h. */
#include "base/lazy_lib.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *nb_lazy_open(nb_lazy_lib *lib)
{
    if (!lib->tried) {
        lib->tried = true;
        for (int i = 0; i < 3 && lib->sonames[i] && !lib->handle; i++)
            lib->handle = dlopen(lib->sonames[i], RTLD_NOW | RTLD_LOCAL);
        if (lib->handle && lib->opened)
            lib->opened();
    }
    return lib->handle; /* stays open for the process */
}

void nb_lazy_bind(nb_lazy_lib *lib, const char *name, void *fn)
{
    void *handle = nb_lazy_open(lib);
    void *sym = handle ? dlsym(handle, name) : NULL;
    if (!sym) {
        fprintf(stderr, "nianbao：%s %s（%s）：请安装 Debian 软件包 %s（scripts/setup 会安装）\n",
                handle ? "系统库缺少函数" : "找不到系统库", handle ? name : lib->sonames[0],
                handle ? lib->sonames[0] : "dlopen 失败", lib->package);
        exit(2);
    }
    memcpy(fn, &sym, sizeof sym); /* POSIX: a function's address through void * */
}
