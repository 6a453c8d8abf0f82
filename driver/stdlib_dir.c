/* stdlib_dir.c — where the standard library's modules are (spec 8):
 * share/pel/stdlib beside the tool's bin/ folder, in the build tree as
 * after installation, so an installed prefix copied elsewhere still finds
 * its own library. PEL_STDLIB names another folder. */
#define _GNU_SOURCE /* readlink */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline.h"

const char *pel_prefix_dir(void) {
    static char dir[PATH_MAX];
    static int looked;
    if (looked) return dir[0] ? dir : NULL;
    looked = 1;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = 0;
    for (int up = 0; up < 2; up++) { /* bin/pelc -> bin -> the prefix */
        char *slash = strrchr(exe, '/');
        if (!slash) return NULL;
        *slash = 0;
    }
    strcpy(dir, exe);
    return dir;
}

const char *pel_stdlib_dir(void) {
    static char dir[PATH_MAX + 32];
    static int looked;
    if (looked) return dir[0] ? dir : NULL;
    looked = 1;
    const char *env = getenv("PEL_STDLIB");
    if (env && *env && strlen(env) < sizeof dir) {
        strcpy(dir, env);
        return dir;
    }
    const char *prefix = pel_prefix_dir();
    if (!prefix) return NULL;
    struct stat st;
    snprintf(dir, sizeof dir, "%s/share/pel/stdlib", prefix);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) dir[0] = 0;
    return dir[0] ? dir : NULL;
}
