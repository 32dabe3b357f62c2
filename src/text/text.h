/*
 * text.h - text safety, for every module that shows untrusted text (titles,
 * notes, file names, quoted input): one UTF-8 decoder and one way to make
 * text safe for a terminal.  No I/O.
 */
#ifndef TX_TEXT_H
#define TX_TEXT_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if none starts there
 * (overlong forms, surrogates and code points past U+10FFFF are not valid). */
int tx_utf8_len(const unsigned char *s);

/* The code point of a valid UTF-8 sequence of n bytes (n from tx_utf8_len). */
unsigned tx_utf8_code(const unsigned char *s, int n);

/* Whether a code point reorders, hides or breaks what a terminal shows
 * around it: every Default_Ignorable_Code_Point of Unicode (the bidi
 * controls among them, zero-width characters, variation selectors, tags),
 * U+2028 and U+2029. */
int tx_invisible(unsigned cp);

/* Append piece (one character, one escape, one number) to buf (size) at
 * *len, whole or not at all, counting what did not fit: a piece that does
 * not fit leaves *len past the end, so nothing after it is written either,
 * and text is cut only between pieces. */
void tx_put(char *buf, size_t size, size_t *len, const char *piece);

/* The decimal digits of v written at t (room for 10, no NUL added); their
 * count.  For names and fields written by hand where printf is too slow. */
size_t tx_digits(char *t, unsigned v);

/* Untrusted text made safe for a terminal: control characters as ^X (^[ for
 * ESC), DEL as ^?, C1 controls and bytes that are not UTF-8 as \xHH, the
 * bidi controls and U+2028/U+2029 as <U+202E>.  Returns the length it
 * needed (as tx_put counts). */
size_t tx_sanitize(const char *text, char *buf, size_t size);
/* The same into a string of its own (malloc'd, the caller frees), as long
 * as it needs to be; NULL when out of memory. */
char *tx_sanitize_dup(const char *text);
/* What fn (one of the escapes, size_t fn(text, buf, size) returning the
 * length it needed) writes for text, in a string of its own as long as it
 * needs (malloc'd, the caller frees); NULL when out of memory. */
char *tx_dup_with(size_t (*fn)(const char *, char *, size_t), const char *text);

/* The next line of text from byte offset *at, wrapped at width characters
 * (code points; a byte that is not UTF-8 counts as one) where a space
 * allows: *at moves past the spaces before it, the line is text[*at ..
 * *end), and the next call starts from *at = *end.  A word wider than width
 * is a line of its own, never cut.  0 when no text is left, else 1. */
int tx_wrap_next(const char *text, size_t *at, int width, size_t *end);

#endif
