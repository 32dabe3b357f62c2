/*
 * parse.c - lesson files (placeholder until the loader lands).
 */
#include "lesson.h"

#include <stdio.h>
#include <string.h>

ls_lesson *ls_load(const char *path, char *err, size_t err_size)
{
    snprintf(err, err_size, "%s: lesson files are not supported yet", path);
    return NULL;
}

ls_lesson *ls_open(const char *name, const char *const *dirs, char *err, size_t err_size)
{
    (void)dirs;
    if (strcmp(name, "seed") == 0)
        return ls_seed();
    return ls_load(name, err, err_size);
}
