/*
 * atomic.c - output files written whole or not at all: a temporary file in
 * the target's folder, flushed and synced, then renamed over the target (or
 * over the file a symbolic link points to).  A target that is not a regular
 * file (/dev/null, /dev/full, a FIFO) is written in place: there is no file
 * to replace.
 */
#define _XOPEN_SOURCE 700   /* realpath */
#include "trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int tr_atomic_open(tr_atomic *a, const char *path, char *err, size_t err_size)
{
    struct stat st;
    char *resolved = NULL;
    memset(a, 0, sizeof *a);
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device, a FIFO or a socket (/dev/null, /dev/stdout, a pipe): there is
         * nothing to replace; write to it as it is */
        if (S_ISDIR(st.st_mode)) {
            snprintf(err, err_size, "%s: is a folder", path);
            return -1;
        }
        a->fp = fopen(path, "w");
        if (!a->fp) {
            snprintf(err, err_size, "%s: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && (resolved = realpath(path, NULL)))
        path = resolved;              /* replace the file a link points to, not the link */
    size_t len = strlen(path);
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    a->path = malloc(len + 1);
    a->tmp_path = malloc(len + 16);
    if (!a->path || !a->tmp_path) {
        snprintf(err, err_size, "%s: out of memory", path);
        goto fail;
    }
    memcpy(a->path, path, len + 1);
    /* "dir/.name.XXXXXX": hidden, beside the target, so rename stays in one filesystem */
    snprintf(a->tmp_path, len + 16, "%.*s.%s.XXXXXX", (int)dir_len, path, path + dir_len);
    int fd = mkstemp(a->tmp_path);
    if (fd < 0) {
        snprintf(err, err_size, "%s: cannot create a file there: %s", path, strerror(errno));
        goto fail;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) { /* as a plain fopen would have made it */ }
    a->fp = fdopen(fd, "w");
    if (!a->fp) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(a->tmp_path);
        goto fail;
    }
    free(resolved);
    return 0;
fail:
    free(a->path);
    free(a->tmp_path);
    free(resolved);
    memset(a, 0, sizeof *a);
    return -1;
}

int tr_atomic_commit(tr_atomic *a, char *err, size_t err_size)
{
    int rc = 0;
    if (!a->tmp_path) {                       /* written in place: a device or a FIFO */
        int failed = fflush(a->fp) != 0 || ferror(a->fp);
        int saved = errno;
        if (fclose(a->fp) != 0 && !failed) {
            failed = 1;
            saved = errno;
        }
        a->fp = NULL;
        if (failed)
            snprintf(err, err_size, "write failed: %s", strerror(saved ? saved : EIO));
        return failed ? -1 : 0;
    }
    int failed = fflush(a->fp) != 0 || ferror(a->fp);
    int saved = errno;
    if (!failed && fsync(fileno(a->fp)) != 0 && errno != EINVAL) {
        failed = 1;
        saved = errno;
    }
    if (fclose(a->fp) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    a->fp = NULL;
    if (failed) {
        snprintf(err, err_size, "%s: write failed: %s", a->path, strerror(saved ? saved : EIO));
        unlink(a->tmp_path);
        rc = -1;
    } else if (rename(a->tmp_path, a->path) != 0) {
        snprintf(err, err_size, "%s: %s", a->path, strerror(errno));
        unlink(a->tmp_path);
        rc = -1;
    }
    free(a->path);
    free(a->tmp_path);
    memset(a, 0, sizeof *a);
    return rc;
}

void tr_atomic_abort(tr_atomic *a)
{
    if (a->fp)
        fclose(a->fp);
    if (a->tmp_path)
        unlink(a->tmp_path);
    free(a->path);
    free(a->tmp_path);
    memset(a, 0, sizeof *a);
}
