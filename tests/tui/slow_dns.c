/*
 * slow_dns.c - an LD_PRELOAD shim for test_follow_dns.sh: name lookups that
 * take seconds, as with a name server that does not answer.  A lookup of
 * "slow-teacher.invalid" waits 2.5 s and then finds 127.0.0.1; one of
 * "slow.invalid" waits 3 s and finds nothing.  Numeric lookups
 * (AI_NUMERICHOST), and every other name, go to the C library at once.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <string.h>
#include <time.h>

typedef int (*gai_fn)(const char *, const char *, const struct addrinfo *, struct addrinfo **);

static void wait_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)
{
    gai_fn real = (gai_fn)dlsym(RTLD_NEXT, "getaddrinfo");
    int numeric = hints && (hints->ai_flags & AI_NUMERICHOST);
    if (node && !numeric && strcmp(node, "slow-teacher.invalid") == 0) {
        wait_ms(2500);
        node = "127.0.0.1";
    } else if (node && !numeric && strcmp(node, "slow.invalid") == 0) {
        wait_ms(3000);
        return EAI_NONAME;
    }
    return real(node, service, hints, res);
}
