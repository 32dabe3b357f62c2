/*
 * fuzz_common.h - shared by the libFuzzer targets: the input is written to a
 * file in a private folder (the loaders read files), beside valid data and
 * weights files that a fuzzed lesson can name.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[64];

/* A private folder with ok.csv and ok-weights.csv, made once. */
static const char *fuzz_folder(void)
{
    if (!fuzz_dir[0]) {
        snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/nntrace-fuzz-XXXXXX");
        if (!mkdtemp(fuzz_dir))
            abort();
        char path[128];
        snprintf(path, sizeof path, "%s/ok.csv", fuzz_dir);
        FILE *fp = fopen(path, "w");
        fputs("x1,x2,label\n0.1,0.1,0\n0.1,0.2,1\n", fp);
        fclose(fp);
        snprintf(path, sizeof path, "%s/ok-weights.csv", fuzz_dir);
        fp = fopen(path, "w");
        fputs("from,to,value\nx1,h1,0.1\nx1,h2,0.2\nx2,h1,0.1\nx2,h2,0.1\nh1,o1,0.1\nh1,o2,0.1\n"
              "h2,o1,0.1\nh2,o2,0.2\n1,h1,0.1\n1,h2,0.1\n1,o1,0.1\n1,o2,0.1\n", fp);
        fclose(fp);
    }
    return fuzz_dir;
}

/* Write the input to NAME in the folder; returns the path (static). */
static const char *fuzz_file(const char *name, const unsigned char *data, size_t size)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", fuzz_folder(), name);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        abort();
    fwrite(data, 1, size, fp);
    fclose(fp);
    return path;
}

#endif
