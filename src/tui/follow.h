/*
 * follow.h - follow mode (follow.c): the teacher serves, the class
 * follows.  Its state is tui_state.follow.
 */
#ifndef NNTRACE_TUI_FOLLOW_H
#define NNTRACE_TUI_FOLLOW_H

#include "code.h"

/* Follow mode (follow.c): the teacher serves, the class follows. */
#define TUI_FOLLOW_PORT 7341      /* the default port */
#define TUI_FOLLOW_LINE 600       /* most bytes in one protocol line, with its newline */
#define TUI_FOLLOWERS   128       /* followers a teacher holds at once */
typedef struct tui_follow {
    int serving;                  /* the teacher's side */
    int listen_fd;                /* serving: the listening socket, or -1 */
    int followers[TUI_FOLLOWERS]; /* serving: connected followers, -1 free */
    int n_followers;              /* serving: how many */
    size_t said[TUI_FOLLOWERS];   /* serving: bytes each follower sent (discarded) */
    unsigned char quiet[TUI_FOLLOWERS];   /* serving: the follower closed its sending side (it still reads) */
    double probe_at;              /* serving: when the quiet ones are sent the screen again (ms) */
    char sent[512];               /* serving: the code sent last */
    char host[256], port[16];     /* following: where the teacher is (host empty: not following) */
    int fd;                       /* following: the connection, or -1 */
    int connected;                /* following: data has come on it */
    int ever;                     /* following: the teacher was reached once */
    int following;                /* following: moving with the teacher (0: broken away) */
    double next_try, since;       /* following: when to try again; when the attempt began (ms) */
    char buf[TUI_FOLLOW_LINE];    /* following: bytes of the line being read */
    size_t len;
    int have;                     /* following: a screen has come */
    char status[160];             /* the connection's state, shown ("" when all is well) */
    char where[300];              /* HOST:PORT, as shown */
    tui_code last;                /* following: the teacher's screen last sent */
    int catching;                 /* following: still computing steps towards last's step */
    int chunk;                    /* following: steps computed in one slice (adapts to CATCH_UP_MS) */
    struct tui_lookup *lookup;    /* following: HOST being looked up in a thread of its own, or NULL */
} tui_follow;

/* Follow mode (follow.c). */
int tui_serve_open(tui_follow *f, const char *address, char *err, size_t err_size);
int tui_follow_open(tui_follow *f, const char *address, char *err, size_t err_size);
/* One protocol line (without its newline) into a code; 0, or -1 with err. */
int tui_follow_line(const char *line, size_t len, tui_code *code, char *err, size_t err_size);
void tui_follow_poll(tui_state *st);     /* serve or follow: whatever the sockets have */
void tui_follow_snap(tui_state *st);     /* f: back to the teacher's screen */
void tui_follow_close(tui_follow *f);

#endif
