/*
 * follow.c - a class that follows the teacher's screen.
 *
 * nntrace --serve [PORT] listens (127.0.0.1 unless an address is given) and
 * sends every follower one line whenever the teacher's screen changes, and
 * one on connecting:
 *
 *     nntrace 1 at seed/1/5/3/MX\n
 *
 * "nntrace", the protocol's version (1), "at" and the screen's step code
 * (code.c), at most TUI_FOLLOW_LINE bytes with the newline.  Nothing that a
 * follower sends is read: its bytes are discarded, so a follower can never
 * change the teacher's screen.  A HOST that is a name is looked up in a
 * thread of its own (getaddrinfo can wait seconds for a name server), so
 * the keys answer while it runs; a numeric address needs no lookup.  Sends never block: a follower whose socket
 * will not take a whole line is dropped.  nntrace --follow HOST[:PORT]
 * connects without blocking the keyboard, retries every second while the
 * teacher is away, moves to each screen it is sent while following, and
 * shows the state of the connection; any navigation key breaks away, f
 * snaps back.  A line it cannot read (too long, another version, a code
 * that does not check) is shown and skipped.
 */
#define _DEFAULT_SOURCE
#include "tui.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RETRY_MS 1000             /* between attempts to reach the teacher */
#define CATCH_UP_MS 20            /* most a follower computes between two looks at the keys */
#define CATCH_UP_FIRST 16         /* steps in the first slice (then doubled or halved to fit) */
#define FOLLOWER_BUFFER 16384     /* send buffer per follower: some 500 screens behind at most */
#define FOLLOWER_SAYS 65536       /* bytes a follower may send (all discarded) before it is dropped */
#define PROBE_MS 1000             /* a half-closed follower is sent the screen again this often: one
                                     that has closed whole answers with a reset and is dropped */

/* A lookup of HOST:PORT in its own thread.  The thread and the stepper share
 * it under mu; whichever of the two is last (the thread done, or the stepper
 * having given it up) frees it. */
struct tui_lookup {
    pthread_mutex_t mu;
    char host[256], port[16];     /* what is looked up */
    int done;                     /* the thread has finished: rc and res hold its answer */
    int abandoned;                /* the stepper gave it up: the thread frees everything */
    int rc;                       /* getaddrinfo's return */
    struct addrinfo *res;         /* its addresses (rc 0) */
};

static void *lookup_run(void *arg)
{
    struct tui_lookup *lk = arg;
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(lk->host, lk->port, &hints, &res);
    pthread_mutex_lock(&lk->mu);
    lk->rc = rc;
    lk->res = rc == 0 ? res : NULL;
    lk->done = 1;
    int abandoned = lk->abandoned;
    pthread_mutex_unlock(&lk->mu);
    if (abandoned) {
        if (rc == 0)
            freeaddrinfo(res);
        pthread_mutex_destroy(&lk->mu);
        free(lk);
    }
    return NULL;
}

/* Start looking up host:port in a detached thread; NULL if none could start. */
static struct tui_lookup *lookup_start(const char *host, const char *port)
{
    struct tui_lookup *lk = calloc(1, sizeof *lk);
    pthread_attr_t attr;
    pthread_t thread;
    if (!lk)
        return NULL;
    snprintf(lk->host, sizeof lk->host, "%s", host);
    snprintf(lk->port, sizeof lk->port, "%s", port);
    if (pthread_mutex_init(&lk->mu, NULL) != 0) {
        free(lk);
        return NULL;
    }
    /* the thread takes no signal: a key or a resize must wake the stepper's loop */
    sigset_t all, old;
    sigfillset(&all);
    int ok = pthread_attr_init(&attr) == 0;
    int masked = ok && pthread_sigmask(SIG_SETMASK, &all, &old) == 0;
    ok = ok && masked && pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 &&
         pthread_create(&thread, &attr, lookup_run, lk) == 0;
    if (masked)
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (!ok) {
        pthread_mutex_destroy(&lk->mu);
        free(lk);
        return NULL;
    }
    return lk;
}

/* 1 with *rc and *res (the caller frees res) and lk freed when the lookup
 * has finished, 0 while it runs. */
static int lookup_take(struct tui_lookup *lk, int *rc, struct addrinfo **res)
{
    pthread_mutex_lock(&lk->mu);
    int done = lk->done;
    *rc = lk->rc;
    *res = lk->res;
    pthread_mutex_unlock(&lk->mu);
    if (done) {
        pthread_mutex_destroy(&lk->mu);
        free(lk);
    }
    return done;
}

/* Give a lookup up: freed now if it has finished, else by its thread. */
static void lookup_drop(struct tui_lookup *lk)
{
    if (!lk)
        return;
    pthread_mutex_lock(&lk->mu);
    int done = lk->done;
    lk->abandoned = 1;
    pthread_mutex_unlock(&lk->mu);
    if (done) {
        if (lk->res)
            freeaddrinfo(lk->res);
        pthread_mutex_destroy(&lk->mu);
        free(lk);
    }
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL, 0);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* "HOST[:PORT]" or "PORT" into host and port (port 0 only when lowest is 0:
 * the kernel's choice); 0, or -1. */
static int split_address(const char *text, const char *default_host, int lowest, char *host, size_t host_size,
                         char *port, size_t port_size)
{
    const char *colon = strrchr(text, ':');
    const char *p = colon ? colon + 1 : text;
    int digits = *p != '\0';
    for (const char *c = p; *c; c++)
        digits &= *c >= '0' && *c <= '9';
    if (!colon && digits) {                       /* "7341" */
        snprintf(host, host_size, "%s", default_host);
        snprintf(port, port_size, "%s", text);
    } else if (colon && digits) {                 /* "host:7341" */
        snprintf(host, host_size, "%.*s", (int)(colon - text), text);
        snprintf(port, port_size, "%s", p);
    } else if (!colon) {                          /* "host" */
        snprintf(host, host_size, "%s", text);
        snprintf(port, port_size, "%d", TUI_FOLLOW_PORT);
    } else {
        return -1;
    }
    long n = strtol(port, NULL, 10);
    return host[0] && n >= lowest && n <= 65535 ? 0 : -1;
}

/* ---------------------------------------------------------------- server */

/* No sockets yet. */
static void follow_reset(tui_follow *f)
{
    memset(f, 0, sizeof *f);
    f->listen_fd = -1;
    f->fd = -1;
    for (int q = 0; q < TUI_FOLLOWERS; q++)
        f->followers[q] = -1;
}

int tui_serve_open(tui_follow *f, const char *address, char *err, size_t err_size)
{
    char host[256], port[16];
    follow_reset(f);
    char fallback[16];
    snprintf(fallback, sizeof fallback, "%d", TUI_FOLLOW_PORT);
    if (split_address(address && address[0] ? address : fallback, "127.0.0.1", 0, host, sizeof host, port,
                      sizeof port) != 0) {
        snprintf(err, err_size, "--serve takes PORT or ADDRESS:PORT, not '%.60s'", address);
        return -1;
    }
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        snprintf(err, err_size, "--serve %s:%s: %s", host, port, gai_strerror(rc));
        return -1;
    }
    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol), one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 64) != 0 || nonblocking(fd) != 0) {
        snprintf(err, err_size, "--serve %s:%s: %s", host, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    struct sockaddr_storage bound;               /* port 0: the one the kernel gave */
    socklen_t bound_len = sizeof bound;
    if (getsockname(fd, (struct sockaddr *)&bound, &bound_len) == 0) /* mutant: serve-port-zero-not-shown */
        snprintf(port, sizeof port, "%u", ntohs(bound.ss_family == AF_INET6
                                                    ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                    : ((struct sockaddr_in *)&bound)->sin_port));
    f->listen_fd = fd;
    f->serving = 1;
    snprintf(f->where, sizeof f->where, "%.255s:%.15s", host, port);
    return 0;
}

/* Send one whole line to follower q, or drop it. */
static void send_line(tui_follow *f, int q, const char *line, size_t len)
{
    ssize_t n = send(f->followers[q], line, len, MSG_NOSIGNAL | MSG_DONTWAIT); /* mutant: follower-waited-for */
    if (n != (ssize_t)len) {              /* would block, or gone: never wait for a follower */
        close(f->followers[q]);
        f->followers[q] = -1;
        f->n_followers--;
    }
}

static void serve_poll(tui_state *st, tui_follow *f)
{
    char code[TUI_CODE_SIZE], line[TUI_FOLLOW_LINE + TUI_CODE_SIZE];
    tui_code_make(st, code, sizeof code);
    int len = snprintf(line, sizeof line, "nntrace 1 at %s\n", code);
    if (!code[0] || len <= 0 || len >= TUI_FOLLOW_LINE)
        len = snprintf(line, sizeof line, "nntrace 1 at -\n");   /* a code too long to send */
    /* new followers get the screen at once */
    for (int accepted = 0; accepted < TUI_FOLLOWERS; accepted++) {
        int fd = accept(f->listen_fd, NULL, NULL);
        if (fd < 0)
            break;
        int q = 0;
        while (q < TUI_FOLLOWERS && f->followers[q] >= 0)
            q++;
        int room = FOLLOWER_BUFFER;               /* a fixed buffer: a stalled follower fills it, and goes */
        if (q == TUI_FOLLOWERS || nonblocking(fd) != 0 ||
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &room, sizeof room) != 0) {
            close(fd);
            continue;
        }
        f->followers[q] = fd;
        f->said[q] = 0;
        f->quiet[q] = 0;
        f->n_followers++;
        send_line(f, q, line, (size_t)len);
    }
    /* what followers send is never read as anything: discarded; one that sends
     * more than a follower ever needs to is dropped.  An end of what it sends
     * is not an end of what it reads (a half-closed follower still follows):
     * the screen is sent again at once, which a follower that closed whole
     * answers with a reset: its next send fails (within PROBE_MS) and drops it */
    for (int q = 0; q < TUI_FOLLOWERS; q++) {
        for (int rounds = 0; f->followers[q] >= 0 && rounds < 16; rounds++) {
            char junk[4096];
            ssize_t n = recv(f->followers[q], junk, sizeof junk, MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            if (n > 0 && (f->said[q] += (size_t)n) <= FOLLOWER_SAYS)
                continue;
            if (n == 0) {                         /* its side closed: it may still read */ /* mutant: half-closed-dropped */
                if (!f->quiet[q]) {
                    f->quiet[q] = 1;
                    send_line(f, q, line, (size_t)len);
                }
                break;
            }
            close(f->followers[q]);               /* a reset, an error, or too much said */
            f->followers[q] = -1;
            f->n_followers--;
        }
    }
    double t = now_ms();
    int changed = strcmp(code, f->sent) != 0, probe = t >= f->probe_at;
    for (int q = 0; (changed || probe) && q < TUI_FOLLOWERS; q++)
        if (f->followers[q] >= 0 && (changed || f->quiet[q])) /* mutant: half-closed-kept-forever */
            send_line(f, q, line, (size_t)len);
    if (changed)
        snprintf(f->sent, sizeof f->sent, "%s", code);
    if (probe)
        f->probe_at = t + PROBE_MS;
}

/* ---------------------------------------------------------------- follower */

int tui_follow_open(tui_follow *f, const char *address, char *err, size_t err_size)
{
    char host[256], port[16];
    follow_reset(f);
    if (!address || split_address(address, "127.0.0.1", 1, host, sizeof host, port, sizeof port) != 0) {
        snprintf(err, err_size, "--follow takes HOST or HOST:PORT, not '%.60s'", address ? address : "");
        return -1;
    }
    snprintf(f->host, sizeof f->host, "%.255s", host);
    snprintf(f->port, sizeof f->port, "%.15s", port);
    snprintf(f->where, sizeof f->where, "%.255s:%.15s", host, port);
    f->following = 1;
    f->next_try = 0;
    return 0;
}

static void disconnect(tui_follow *f, const char *why)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    f->connected = 0;
    f->len = 0;
    snprintf(f->status, sizeof f->status, "%s", why);
    f->next_try = now_ms() + RETRY_MS;
}

static void catch_up(tui_state *st);

/* Move the follower's screen to a code's (f->last): its edits, step, stage and value. */
static void go_to(tui_state *st, const tui_code *code)
{
    char err[LS_ERR_SIZE];
    if (tui_code_check(code, tui_state_print(st), err, sizeof err) != 0) {
        snprintf(st->follow.status, sizeof st->follow.status, "the teacher shows %.40s, another lesson", code->lesson);
        return;
    }
    /* the edits, if they differ */
    int same = code->n_edits == st->edit.n;
    for (int q = 0; same && q < code->n_edits; q++)
        same = strcmp(code->edits[q], st->edit.list[q]) == 0;
    if (!same) {
        tui_edit_undo(st, 1);
        for (int q = 0; q < code->n_edits; q++)
            tui_edit(st, code->edits[q]);
    }
    st->follow.catching = 1;                  /* the step itself, in slices: catch_up */
    if (st->follow.chunk < 1)
        st->follow.chunk = CATCH_UP_FIRST;
    catch_up(st);
}

/* Towards the teacher's step in slices of at most about CATCH_UP_MS, one
 * slice a poll, so that keys and q answer while a far step (a code for step
 * 1000000) is computed; then the code's screen itself. */
static void catch_up(tui_state *st)
{
    tui_follow *f = &st->follow;
    if (!f->catching)
        return;
    if (!f->following) {                      /* broken away: the student's screen stays */
        f->catching = 0;
        return;
    }
    char err[LS_ERR_SIZE];
    const tui_code *code = &f->last;
    int reached = tr_rec_reached(st->m.rec);         /* steps past this one were never computed */
    if (code->step > reached + f->chunk) { /* mutant: follow-catch-up-unsliced */
        double t0 = now_ms();
        if (tui_model_goto_step(&st->m, reached + f->chunk, err, sizeof err) != 0) {
            snprintf(f->status, sizeof f->status, "%.100s", err);
            f->catching = 0;
            return;
        }
        double took = now_ms() - t0;
        if (took < CATCH_UP_MS / 2 && f->chunk < LS_MAX_STEPS / 2)
            f->chunk *= 2;
        else if (took > CATCH_UP_MS && f->chunk > 1)
            f->chunk /= 2;
        snprintf(f->status, sizeof f->status, "catching up with the teacher: step %d of %d",
                 tr_rec_step(st->m.rec), code->step);
        return;
    }
    f->catching = 0;
    if (tui_goto_code(st, code, err, sizeof err) != 0)
        snprintf(f->status, sizeof f->status, "%.100s", err);
    else
        f->status[0] = '\0';
}

/* HOST's addresses into *res: 1 when they are there (the caller frees
 * them), 0 while the lookup runs, -1 when it failed (said, and retried a
 * second later).  A numeric address is read at once; a name is looked up
 * in its own thread, so nothing here ever waits. */
static int resolve(tui_follow *f, double t, struct addrinfo **res)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST };
    int rc;
    if (!f->lookup && getaddrinfo(f->host, f->port, &hints, res) == 0) /* mutant: lookup-blocks-keys */
        return 1;                                    /* 127.0.0.1, ::1: no name server asked */
    if (!f->lookup) {
        if (!(f->lookup = lookup_start(f->host, f->port))) {
            snprintf(f->status, sizeof f->status, "cannot look up %.100s (no thread); retrying", f->host);
            f->next_try = t + RETRY_MS;
            return -1;
        }
        f->since = t;
    }
    if (!lookup_take(f->lookup, &rc, res)) {
        snprintf(f->status, sizeof f->status, "looking up %.100s (%.0f s)", f->host, (t - f->since) / 1e3);
        return 0;
    }
    f->lookup = NULL;
    if (rc != 0 || !*res) {
        if (*res)
            freeaddrinfo(*res);
        snprintf(f->status, sizeof f->status, "cannot find %.100s; retrying", f->host);
        f->next_try = t + RETRY_MS;
        return -1;
    }
    return 1;
}

static void follow_poll(tui_state *st, tui_follow *f)
{
    double t = now_ms();
    if (f->fd < 0) {
        if (t < f->next_try)
            return;
        struct addrinfo *res = NULL;
        if (resolve(f, t, &res) != 1)
            return;
        f->next_try = t + RETRY_MS;
        int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
        if (fd < 0 || nonblocking(fd) != 0 ||
            (connect(fd, res->ai_addr, res->ai_addrlen) != 0 && errno != EINPROGRESS)) {
            if (fd >= 0)
                close(fd);
            freeaddrinfo(res);
            snprintf(f->status, sizeof f->status, f->ever ? "lost the teacher at %.100s; retrying"
                                                          : "no teacher at %.100s yet; retrying", f->where);
            return;
        }
        freeaddrinfo(res);
        f->fd = fd;
        f->connected = 0;
        f->len = 0;
        f->since = t;
        snprintf(f->status, sizeof f->status, "connecting to %.100s", f->where);
        return;
    }
    /* read what has come: whole lines; a line too long drops the connection */
    int fresh = 0;                                       /* a code came: go to the last one */
    for (int rounds = 0; rounds < 64; rounds++) {
        ssize_t n = recv(f->fd, f->buf + f->len, sizeof f->buf - f->len, MSG_DONTWAIT);
        if (n == 0) {
            disconnect(f, f->connected ? "the teacher's connection was lost; retrying" : "no teacher yet; retrying");
            return;
        }
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            if (errno == ENOTCONN && t - f->since < 3000)
                break;                                  /* still connecting */
            disconnect(f, f->ever ? "lost the teacher; retrying" : "no teacher there yet; retrying");
            return;
        }
        if (!f->connected) {
            f->connected = 1;
            f->ever = 1;
            f->status[0] = '\0';
        }
        f->len += (size_t)n;
        char *nl;
        while ((nl = memchr(f->buf, '\n', f->len)) != NULL) {
            size_t line = (size_t)(nl - f->buf);
            tui_code code;
            char err[LS_ERR_SIZE];
            if (tui_follow_line(f->buf, line, &code, err, sizeof err) == 0) {
                f->have = 1;                    /* only the last of the lines read is shown: */
                f->last = code;                 /* the screen the teacher has now */
                fresh = 1;
            } else {
                snprintf(f->status, sizeof f->status, "%.100s", err);
            }
            memmove(f->buf, nl + 1, f->len - line - 1);
            f->len -= line + 1;
        }
        if (f->len >= sizeof f->buf) {
            disconnect(f, "the teacher sent a line too long; retrying");
            return;
        }
    }
    if (fresh && f->following)
        go_to(st, &f->last);
    else
        catch_up(st);
}

void tui_follow_poll(tui_state *st)
{
    if (st->follow.serving)
        serve_poll(st, &st->follow);
    else if (st->follow.host[0])
        follow_poll(st, &st->follow);
}

/* f: snap back to the teacher's screen. */
void tui_follow_snap(tui_state *st)
{
    st->follow.following = 1;
    if (st->follow.have)
        go_to(st, &st->follow.last);
}

void tui_follow_close(tui_follow *f)
{
    if (f->listen_fd >= 0)
        close(f->listen_fd);
    if (f->fd >= 0)
        close(f->fd);
    for (int q = 0; q < TUI_FOLLOWERS; q++)
        if (f->followers[q] >= 0)
            close(f->followers[q]);
    f->listen_fd = f->fd = -1;
    lookup_drop(f->lookup);                      /* a lookup still running frees itself */
    f->lookup = NULL;
}
