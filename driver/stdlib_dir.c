/* stdlib_dir.c — where the standard library's modules are (spec 8):
 * share/pel/stdlib beside the tool's bin/ folder, in the build tree as
 * after installation, so an installed prefix copied elsewhere still finds
 * its own library. PEL_STDLIB names another folder. */
#define _GNU_SOURCE /* readlink */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline.h"

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
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash) return NULL;
    *slash = 0;
    slash = strrchr(exe, '/'); /* the prefix: bin/'s parent */
    if (!slash) return NULL;
    *slash = 0;
    struct stat st;
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/share/pel/stdlib", exe);
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode) || strlen(path) >= sizeof dir) return NULL;
    strcpy(dir, path);
    return dir;
}
