/*
 * atomic.c - output files written whole or not at all: a temporary file in
 * the target's folder, flushed and synced, then renamed over the target (or
 * over the file a symbolic link points to, even one that does not exist
 * yet), keeping the target's mode.  A target that is not a regular file
 * (/dev/null, /dev/full, a FIFO) is written in place: there is no file to
 * replace; one that names an open descriptor (/dev/stdout, /dev/fd/N) is
 * written through that descriptor.
 */
#define _XOPEN_SOURCE 700   /* strdup, readlink */
#include "trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The descriptor an already-open path names (/dev/stdout, /dev/stderr,
 * /dev/fd/N, /proc/self/fd/N, /proc/<our pid>/fd/N), or -1.  Such a path
 * is written through a copy of the descriptor, never reopened: reopening
 * would truncate a file opened for appending (">> log.txt"). */
static int open_descriptor(const char *path)
{
    char self[64];
    const char *num = NULL;
    if (strcmp(path, "/dev/stdout") == 0)
        return STDOUT_FILENO;
    if (strcmp(path, "/dev/stderr") == 0)
        return STDERR_FILENO;
    snprintf(self, sizeof self, "/proc/%ld/fd/", (long)getpid());
    if (strncmp(path, "/dev/fd/", 8) == 0)
        num = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0)
        num = path + 14;
    else if (strncmp(path, self, strlen(self)) == 0)
        num = path + strlen(self);
    if (!num || *num < '0' || *num > '9')
        return -1;
    char *end;
    long fd = strtol(num, &end, 10);
    return *end == '\0' && fd >= 0 && fd <= 1 << 20 ? (int)fd : -1;
}

/* Follow symbolic links by hand, also to a target that does not exist yet
 * (a dangling link is written through, as a live one is).  A new string, or
 * NULL with errno ENOMEM when out of memory, ELOOP after 40 links (a loop). */
static char *follow_links(const char *path)
{
    char *cur = strdup(path);
    for (int hops = 0; cur; hops++) {
        if (hops == 40) {
            free(cur);
            errno = ELOOP;
            return NULL;
        }
        struct stat lst;
        if (lstat(cur, &lst) != 0 || !S_ISLNK(lst.st_mode))
            return cur;
        size_t cap = (size_t)lst.st_size + 1 > 256 ? (size_t)lst.st_size + 1 : 256;
        char *target = malloc(cap);
        ssize_t n = target ? readlink(cur, target, cap - 1) : -1;
        if (n < 0) {
            free(target);
            return cur;
        }
        target[n] = '\0';
        if (target[0] == '/') {
            free(cur);
            cur = target;
            continue;
        }
        const char *slash = strrchr(cur, '/');
        size_t dir = slash ? (size_t)(slash - cur) + 1 : 0;
        char *joined = malloc(dir + (size_t)n + 1);
        if (joined) {
            memcpy(joined, cur, dir);
            memcpy(joined + dir, target, (size_t)n + 1);
        }
        free(target);
        free(cur);
        cur = joined;
    }
    return cur;
}

int tr_output_check(const char *path, const ls_lesson *L, char *err, size_t err_size)
{
    static const char *const stdin_names[] = { "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0" };
    struct stat out, in;
    for (size_t q = 0; q < sizeof stdin_names / sizeof *stdin_names; q++)
        if (strcmp(path, stdin_names[q]) == 0) {
            snprintf(err, err_size, "%s: is the standard input, which this command reads: give another output", path);
            return -1;
        }
    if (stat(path, &out) != 0) {             /* through links: the file that would be replaced */
        if (errno != ELOOP) /* mutant: link-loop-written */
            return 0;                        /* a new file (or one open will report) */
        snprintf(err, err_size, "%s: a loop of symbolic links: nothing written", path);
        return -1;
    }
    if (fstat(STDIN_FILENO, &in) == 0 && S_ISREG(in.st_mode) && in.st_dev == out.st_dev && /* mutant: output-may-be-stdin */
        in.st_ino == out.st_ino) {
        snprintf(err, err_size, "%s: is the file on standard input: give another output", path);
        return -1;
    }
    if (L && ls_was_read(L, (unsigned long long)out.st_dev, (unsigned long long)out.st_ino)) { /* mutant: output-may-be-an-input */
        snprintf(err, err_size, "%s: is a file this command reads (the lesson, its data or its weights): "
                 "give another output", path);
        return -1;
    }
    return 0;
}

int tr_atomic_open(tr_atomic *a, const char *path, char *err, size_t err_size)
{
    struct stat st;
    char *resolved = NULL;
    memset(a, 0, sizeof *a);
    if (!path[0]) {
        snprintf(err, err_size, "the output file name is empty");
        return -1;
    }
    int fd = open_descriptor(path);
    if (fd >= 0) {
        int copy = dup(fd);
        a->fp = copy >= 0 ? fdopen(copy, "w") : NULL;
        if (!a->fp) {
            snprintf(err, err_size, "%s: %s", path, strerror(errno));
            if (copy >= 0)
                close(copy);
            return -1;
        }
        a->path = strdup(path);              /* for messages; no tmp_path: written in place */
        return 0;
    }
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device, a FIFO or a socket (/dev/null, a pipe): there is nothing
         * to replace; write to it as it is */
        if (S_ISDIR(st.st_mode)) {
            snprintf(err, err_size, "%s: is a folder", path);
            return -1;
        }
        a->fp = fopen(path, "w");
        if (!a->fp) {
            snprintf(err, err_size, "%s: %s", path, strerror(errno));
            return -1;
        }
        a->path = strdup(path);
        return 0;
    }
    if (!(resolved = follow_links(path))) {  /* replace the file a link points to, not the link */
        snprintf(err, err_size, "%s: %s", path, errno == ELOOP ? "a loop of symbolic links: nothing written"
                                                               : "out of memory");
        return -1;
    }
    const char *name = path;                 /* named in messages as the user wrote it */
    path = resolved;
    int exists = stat(path, &st) == 0;
    size_t len = strlen(path);
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    a->path = malloc(len + 1);
    a->tmp_path = malloc(len + 32);
    if (!a->path || !a->tmp_path) {
        snprintf(err, err_size, "%s: out of memory", name);
        goto fail;
    }
    memcpy(a->path, path, len + 1);
    /* "dir/.name.XXXXXX": hidden, beside the target, so rename stays in one
     * filesystem; a name too long for that gets "dir/.nntrace.XXXXXX" */
    if (len - dir_len + 8 <= 255)
        snprintf(a->tmp_path, len + 32, "%.*s.%s.XXXXXX", (int)dir_len, path, path + dir_len);
    else
        snprintf(a->tmp_path, len + 32, "%.*s.nntrace.XXXXXX", (int)dir_len, path);
    fd = mkstemp(a->tmp_path);
    if (fd < 0) {
        snprintf(err, err_size, "%s: cannot create a file there: %s", name, strerror(errno));
        goto fail;
    }
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;           /* the target keeps its mode */ /* mutant: output-mode-not-kept */
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;                 /* as a plain fopen would have made it */
    }
    if (fchmod(fd, mode) != 0) { /* the temporary's 0600 then stands */ }
    a->fp = fdopen(fd, "w");
    if (!a->fp) {
        snprintf(err, err_size, "%s: %s", name, strerror(errno));
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
    /* flush, sync a temporary file (a device or a FIFO cannot be), close */
    int failed = fflush(a->fp) != 0 || ferror(a->fp);
    int saved = errno;
    if (!failed && a->tmp_path && fsync(fileno(a->fp)) != 0 && errno != EINVAL) {
        failed = 1;
        saved = errno;
    }
    if (fclose(a->fp) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    a->fp = NULL;
    int rc = 0;
    if (failed) {
        snprintf(err, err_size, "%s: write failed: %s", a->path ? a->path : "output",
                 strerror(saved ? saved : EIO));
        rc = -1;
    } else if (a->tmp_path && rename(a->tmp_path, a->path) != 0) {
        snprintf(err, err_size, "%s: %s", a->path, strerror(errno));
        rc = -1;
    }
    if (rc != 0 && a->tmp_path)
        unlink(a->tmp_path);
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
