/*
 * text.c - UTF-8 decoding and terminal-safe text (see text.h).
 */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tx_utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    int n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 : 0;
    if (n == 0 || s[0] > 0xF4)
        return 0;
    for (int q = 1; q < n; q++)
        if ((s[q] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && s[0] == 0xE0 && s[1] < 0xA0) return 0;       /* overlong */
    if (n == 3 && s[0] == 0xED && s[1] >= 0xA0) return 0;      /* surrogates */
    if (n == 4 && s[0] == 0xF0 && s[1] < 0x90) return 0;       /* overlong */
    if (n == 4 && s[0] == 0xF4 && s[1] >= 0x90) return 0;      /* > U+10FFFF */
    return n;
}

unsigned tx_utf8_code(const unsigned char *s, int n)
{
    if (n == 1)
        return s[0];
    if (n == 2)
        return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    if (n == 3)
        return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
}

int tx_invisible(unsigned cp)
{
    /* Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt,
     * which holds every Bidi_Control), and the line and paragraph separators */
    static const unsigned ranges[][2] = {
        { 0x00AD, 0x00AD }, { 0x034F, 0x034F }, { 0x061C, 0x061C }, { 0x115F, 0x1160 },
        { 0x17B4, 0x17B5 }, { 0x180B, 0x180F }, { 0x200B, 0x200F }, { 0x2028, 0x202E },
        { 0x2060, 0x206F }, { 0x3164, 0x3164 }, { 0xFE00, 0xFE0F }, { 0xFEFF, 0xFEFF },
        { 0xFFA0, 0xFFA0 }, { 0xFFF0, 0xFFF8 }, { 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A },
        { 0xE0000, 0xE0FFF },
    };
    for (size_t q = 0; q < sizeof ranges / sizeof ranges[0]; q++)
        if (cp >= ranges[q][0] && cp <= ranges[q][1])
            return 1;
    return 0;
}

void tx_put(char *buf, size_t size, size_t *len, const char *piece)
{
    size_t n = strlen(piece);
    if (*len + n < size) { /* mutant: text-cut-inside-a-character */
        memcpy(buf + *len, piece, n);
        buf[*len + n] = '\0';
    }
    *len += n;
}

size_t tx_digits(char *t, unsigned v)
{
    char rev[10];
    size_t k = 0, n = 0;
    do
        rev[k++] = (char)('0' + v % 10);
    while ((v /= 10) != 0); /* mutant: digits-drop-leading */
    while (k > 0)
        t[n++] = rev[--k];
    return n;
}

size_t tx_sanitize(const char *text, char *buf, size_t size)
{
    size_t len = 0;
    char piece[16];
    if (size > 0)
        buf[0] = '\0';
    for (const unsigned char *s = (const unsigned char *)text; *s; ) {
        int n = tx_utf8_len(s);
        if (n == 1 && (*s < 0x20 || *s == 0x7F)) {
            snprintf(piece, sizeof piece, "^%c", *s == 0x7F ? '?' : *s + 0x40);
            s++;
        } else if (n == 2 && s[0] == 0xC2 && s[1] < 0xA0) {
            snprintf(piece, sizeof piece, "\\x%02X", s[1]);   /* C1 control */
            s += 2;
        } else if (n >= 2 && tx_invisible(tx_utf8_code(s, n))) { /* mutant: invisible-only-3-bytes */
            snprintf(piece, sizeof piece, "<U+%04X>", tx_utf8_code(s, n));
            s += n;
        } else if (n == 0) {
            snprintf(piece, sizeof piece, "\\x%02X", *s);
            s++;
        } else {
            memcpy(piece, s, (size_t)n);
            piece[n] = '\0';
            s += n;
        }
        tx_put(buf, size, &len, piece);
    }
    return len;
}

char *tx_dup_with(size_t (*fn)(const char *, char *, size_t), const char *text)
{
    char none[1];
    size_t len = fn(text, none, 0); /* mutant: dup-cut-at-2k */
    char *s = malloc(len + 1);
    if (s)
        fn(text, s, len + 1);
    return s;
}

char *tx_sanitize_dup(const char *text)
{
    return tx_dup_with(tx_sanitize, text);
}

int tx_wrap_next(const char *text, size_t *at, int width, size_t *end)
{
    const unsigned char *s = (const unsigned char *)text;
    while (s[*at] == ' ')
        (*at)++;
    if (!s[*at])
        return 0;
    size_t q = *at, fit = 0;         /* fit: the end of the last word that fits */
    int cols = 0;
    while (s[q]) {
        size_t word = q;
        while (s[q] == ' ') {       /* the spaces before a word count with it */
            q++;
            cols++;
        }
        if (!s[q])                  /* spaces at the end: no word */
            break;
        while (s[q] && s[q] != ' ') {
            int n = tx_utf8_len(s + q);
            q += n ? (size_t)n : 1; /* mutant: wrap-counts-bytes */
            cols++;
        }
        if (cols > width && fit) {  /* this word starts the next line */
            q = word;
            break;
        }
        fit = q;
        if (cols >= width)
            break;
    }
    *end = fit ? fit : q;
    return 1;
}
