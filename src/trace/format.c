/*
 * format.c - numbers, formulas and safe text for every writer.
 */
#include "trace.h"
#include "../text/text.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------- exact decimal numbers */

/*
 * Every number a trace writes goes through tr_fmt_fixed or tr_fmt_exact, so
 * they decide how fast a trace is.  glibc's printf is exact but slow, and
 * slower still once any library has registered printf hooks (libquadmath
 * does, when OpenBLAS is loaded): every call then takes its positional path.
 * These do what printf does for "%.*f" and "%.17g", digit for digit: a
 * double is m * 2^e exactly (m < 2^53), so round(|v| * 10^k) is the integer
 * m * 10^k shifted right by -e bits, rounded half to even on the bits shifted
 * out, computed in a small big integer.  tests/unit/test_format.c compares
 * them with snprintf on a million doubles of every magnitude and on ties.
 */

#define BIG_LIMBS 48          /* 1536 bits: m * 10^k for k <= 340 (2^53 * 10^340 < 2^1183) */

/* A non-negative integer in base 2^32, least significant limb first. */
typedef struct fmt_big {
    uint32_t d[BIG_LIMBS];
    int n;                    /* limbs used (0: the number 0) */
} fmt_big;

static void big_mul_small(fmt_big *a, uint32_t f)
{
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->d[i] * f + carry;
        a->d[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry && a->n < BIG_LIMBS)
        a->d[a->n++] = (uint32_t)carry;
}

/* a <<= s */
static void big_shl(fmt_big *a, int s)
{
    int w = s / 32, b = s % 32;
    if (a->n == 0)
        return;
    int n = a->n + w + 1 < BIG_LIMBS ? a->n + w + 1 : BIG_LIMBS;
    for (int i = n - 1; i >= 0; i--) {
        uint64_t hi = i - w >= 0 && i - w < a->n ? a->d[i - w] : 0;
        uint64_t lo = i - w - 1 >= 0 && i - w - 1 < a->n ? a->d[i - w - 1] : 0;
        a->d[i] = (uint32_t)(b ? (hi << b) | (lo >> (32 - b)) : hi);
    }
    a->n = n;
    while (a->n > 0 && a->d[a->n - 1] == 0)
        a->n--;
}

/* Bit i of a. */
static int big_bit(const fmt_big *a, int i)
{
    return i / 32 < a->n ? (int)((a->d[i / 32] >> (i % 32)) & 1) : 0;
}

/* Whether any bit below i is set. */
static int big_below(const fmt_big *a, int i)
{
    for (int w = 0; w < i / 32 && w < a->n; w++)
        if (a->d[w])
            return 1;
    return i / 32 < a->n && (a->d[i / 32] & ((1u << (i % 32)) - 1u)) != 0;
}

/* a >>= s, rounding half to even on the bits shifted out. */
static void big_shr_round(fmt_big *a, int s)
{
    int half = s > 0 && big_bit(a, s - 1), sticky = s > 1 && big_below(a, s - 1);
    int w = s / 32, b = s % 32;
    for (int i = 0; i < a->n; i++) {
        uint64_t lo = i + w < a->n ? a->d[i + w] : 0, hi = i + w + 1 < a->n ? a->d[i + w + 1] : 0;
        a->d[i] = (uint32_t)(b ? (lo >> b) | (hi << (32 - b)) : lo);
    }
    a->n = a->n > w ? a->n - w : 0;
    while (a->n > 0 && a->d[a->n - 1] == 0)
        a->n--;
    if (half && (sticky || (a->n > 0 && (a->d[0] & 1)))) {   /* add one */ /* mutant: number-big-path-wrong */
        int i = 0;
        while (i < a->n && ++a->d[i] == 0)
            i++;
        if (i == a->n && a->n < BIG_LIMBS)
            a->d[a->n++] = 1;
    }
}

/* The decimal digits of a into out (no leading zeros; "0" for 0); their count. */
static int big_decimal(fmt_big *a, char *out)
{
    char rev[BIG_LIMBS * 10 + 1];
    int k = 0;
    while (a->n > 0) {                         /* divide by 10^9, nine digits a time */
        uint64_t rem = 0;
        for (int i = a->n - 1; i >= 0; i--) {
            uint64_t cur = (rem << 32) | a->d[i];
            a->d[i] = (uint32_t)(cur / 1000000000u);
            rem = cur % 1000000000u;
        }
        while (a->n > 0 && a->d[a->n - 1] == 0)
            a->n--;
        for (int q = 0; q < 9 && (a->n > 0 || rem > 0); q++, rem /= 10)
            rev[k++] = (char)('0' + rem % 10);
    }
    if (k == 0)
        rev[k++] = '0';
    for (int i = 0; i < k; i++)
        out[i] = rev[k - 1 - i];
    out[k] = '\0';
    return k;
}

#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 fmt_u128;

/* The decimal digits of q into out; their count.  Two digits at a time
 * from a table: a trace writes millions of numbers. */
static int u128_decimal(fmt_u128 q, char *out)
{
    static const char pairs[201] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    char rev[48];
    int k = sizeof rev;                        /* digits fill rev from the end */
    uint64_t lo;
    while (q > (fmt_u128)UINT64_MAX) {         /* rare: more than 19 digits */
        rev[--k] = (char)('0' + (int)(q % 10));
        q /= 10;
    }
    lo = (uint64_t)q;
    while (lo >= 100) {
        unsigned two = (unsigned)(lo % 100);
        lo /= 100;
        rev[--k] = pairs[2 * two + 1];
        rev[--k] = pairs[2 * two];
    }
    if (lo >= 10) {
        rev[--k] = pairs[2 * lo + 1];
        rev[--k] = pairs[2 * lo];
    } else {
        rev[--k] = (char)('0' + lo);
    }
    int n = (int)sizeof rev - k;
    memcpy(out, rev + k, (size_t)n);
    out[n] = '\0';
    return n;
}
#endif

/* round(|v| * 10^k) (half to even, exactly), k >= 0, v finite, as decimal digits. */
static int scaled_digits(double v, int k, char *out)
{
    uint64_t bits, m;                          /* |v| = m 2^e exactly, m < 2^53, from its bits */
    memcpy(&bits, &v, sizeof bits);
    int biased = (int)((bits >> 52) & 0x7ff), e;
    m = bits & ((UINT64_C(1) << 52) - 1);
    if (biased == 0) {
        e = -1074;                             /* subnormal (or zero) */
    } else {
        m |= UINT64_C(1) << 52;
        e = biased - 1075;
    }
#ifdef __SIZEOF_INT128__
    if (k <= 19 && e <= 0) {                   /* the usual case: m 10^k < 2^117 fits 128 bits */
        static const uint64_t p10[20] = { 1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u,
            100000000u, 1000000000u, 10000000000u, 100000000000u, 1000000000000u, 10000000000000u,
            100000000000000u, 1000000000000000u, 10000000000000000u, 100000000000000000u,
            1000000000000000000u, 10000000000000000000u };
        fmt_u128 N = (fmt_u128)m * p10[k], q;
        int s = -e;
        if (s == 0)
            return u128_decimal(N, out);
        if (s >= 128)                          /* N < 2^117 <= 2^(s-1): below one half */
            return u128_decimal(0, out);
        q = N >> s;
        fmt_u128 rest = N - (q << s), half = (fmt_u128)1 << (s - 1);
        if (rest > half || (rest == half && (q & 1))) /* mutant: number-ties-rounded-up */
            q++;
        return u128_decimal(q, out);
    }
#endif
    fmt_big a = { { (uint32_t)m, (uint32_t)(m >> 32) }, 2 };
    while (a.n > 0 && a.d[a.n - 1] == 0)
        a.n--;
    for (; k >= 9; k -= 9)
        big_mul_small(&a, 1000000000u);
    static const uint32_t p10[9] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000 };
    if (k > 0)
        big_mul_small(&a, p10[k]);
    if (e > 0)
        big_shl(&a, e);
    else if (e < 0)
        big_shr_round(&a, -e);
    return big_decimal(&a, out);
}

/* "%.*f" of finite v with |v| < 1e17 and 0 <= digits <= TR_MAX_DIGITS: the
 * same characters as printf's (which rounds the exact binary value half to
 * even), without printf. */
static char *fmt_fixed_exact(double v, int digits, char *buf)
{
    char q[BIG_LIMBS * 10 + 2];
    int n = scaled_digits(v, digits, q), at = 0;
    if (signbit(v))
        buf[at++] = '-';
    if (n <= digits) {                         /* 0.00ddd: zeros before the digits */
        memmove(q + (digits + 1 - n), q, (size_t)n + 1);
        memset(q, '0', (size_t)(digits + 1 - n));
        n = digits + 1;
    }
    memcpy(buf + at, q, (size_t)(n - digits));
    at += n - digits;
    if (digits > 0) {
        buf[at++] = '.';
        memcpy(buf + at, q + n - digits, (size_t)digits);
        at += digits;
    }
    buf[at] = '\0';
    return buf;
}

/* "%.*g" of finite v with 1 <= prec <= 17, as printf writes it; NULL when
 * it would need a division (an exponent of prec or more): printf then. */
static char *fmt_general_exact(double v, int prec, char *buf)
{
    char q[BIG_LIMBS * 10 + 2];
    int at = 0;
    if (signbit(v))
        buf[at++] = '-';
    if (v == 0) {
        strcpy(buf + at, "0");
        return buf;
    }
    int ex;
    frexp(v, &ex);
    int X = (int)floor((ex - 1) * 0.30102999566398120);   /* about log10 |v| */
    int n;
    for (int tries = 0;; tries++) {
        if (prec - 1 - X < 0 || tries > 4)
            return NULL;                       /* needs a division: not this fast path */
        n = scaled_digits(v, prec - 1 - X, q); /* mutant: number-exact-off-by-one-digit */
        if (n > prec)
            X++;
        else if (n < prec)
            X--;
        else
            break;
    }
    /* q holds prec digits d1 d2 ..., the value d1.d2... x 10^X */
    int last = prec;                           /* drop trailing zeros */
    while (last > 1 && q[last - 1] == '0')
        last--;
    if (X < -4 || X >= prec) {                 /* d.ddde+XX */
        buf[at++] = q[0];
        if (last > 1) {
            buf[at++] = '.';
            memcpy(buf + at, q + 1, (size_t)(last - 1));
            at += last - 1;
        }
        int ax = X < 0 ? -X : X;
        buf[at++] = 'e';
        buf[at++] = X < 0 ? '-' : '+';
        if (ax >= 100)
            buf[at++] = (char)('0' + ax / 100);
        buf[at++] = (char)('0' + ax / 10 % 10);
        buf[at++] = (char)('0' + ax % 10);
        buf[at] = '\0';
        return buf;
    }
    if (X >= 0) {                              /* ddd.ddd */
        int whole = X + 1;
        memcpy(buf + at, q, (size_t)whole);
        at += whole;
        if (last > whole) {
            buf[at++] = '.';
            memcpy(buf + at, q + whole, (size_t)(last - whole));
            at += last - whole;
        }
    } else {                                   /* 0.000ddd */
        buf[at++] = '0';
        buf[at++] = '.';
        for (int z = 0; z < -X - 1; z++)
            buf[at++] = '0';
        memcpy(buf + at, q, (size_t)last);
        at += last;
    }
    buf[at] = '\0';
    return buf;
}

char *tr_fmt_fixed(double v, int digits, char buf[TR_NUM_SIZE])
{
    if (digits < 0)
        digits = 0;
    if (digits > TR_MAX_DIGITS)
        digits = TR_MAX_DIGITS;
    /* at most 15 digits before the point (34 characters); larger numbers,
     * infinities and NaN in exponent form: the buffer always holds it whole */
    if (v == 0) {                                 /* either zero: "0.000000" (-0 reads as 0) */
        buf[0] = '0';
        if (digits > 0) {
            buf[1] = '.';
            memset(buf + 2, '0', (size_t)digits);
        }
        buf[digits > 0 ? digits + 2 : 1] = '\0';
        return buf;
    }
    if (!(fabs(v) < TR_FIXED_LIMIT)) /* mutant: numbers-cut-at-64-bytes */
        snprintf(buf, TR_NUM_SIZE, "%.*e", digits, v);
    else
        fmt_fixed_exact(v, digits, buf);
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));   /* "-0.000" reads as 0 */
    return buf;
}

char *tr_fmt_short(double v, int digits, char buf[TR_NUM_SIZE])
{
    tr_fmt_fixed(v, digits, buf);
    char *e = strchr(buf, 'e');
    size_t end = e ? (size_t)(e - buf) : strlen(buf), len = end;
    if (memchr(buf, '.', end)) {
        while (len > 0 && buf[len - 1] == '0')
            len--;
        if (len > 0 && buf[len - 1] == '.')
            len--;
        memmove(buf + len, buf + end, strlen(buf + end) + 1);   /* the exponent, if any */
    }
    if (v != 0 && isfinite(v) && strcmp(buf, "0") == 0) {   /* a given -0.0002 is not "0" */
        int lead = -(int)floor(log10(fabs(v)));
        if (lead > digits && lead <= TR_MAX_DIGITS) /* mutant: given-shows-zero */
            return tr_fmt_short(v, lead, buf);
    }
    return buf;
}

char *tr_fmt_fit(double v, int digits, int width, char buf[TR_NUM_SIZE])
{
    tr_fmt_fixed(v, digits, buf);
    for (int d = digits; (int)strlen(buf) > width && d >= 0; d--)
        snprintf(buf, TR_NUM_SIZE, "%.*e", d, v);
    return buf;
}

/* Trailing zeros after the point removed, and the point with them ("0.100" -> "0.1"). */
static void strip_zeros(char *b)
{
    if (!strchr(b, '.') || strchr(b, 'e'))
        return;
    size_t n = strlen(b);
    while (n > 0 && b[n - 1] == '0')
        b[--n] = '\0';
    if (n > 0 && b[n - 1] == '.')
        b[--n] = '\0';
}

/* "5e-03" -> "5e-3", "1.5e+20" -> "1.5e20": the exponent without its sign
 * when positive and without leading zeros (the same number, shorter). */
static void compact_exponent(char *b)
{
    char *e = strchr(b, 'e');
    if (!e)
        return;
    char *p = e + 1, *q = e + 1;
    if (*p == '+')
        p++;
    else if (*p == '-')
        *q++ = *p++;
    while (*p == '0' && p[1])
        p++;
    memmove(q, p, strlen(p) + 1);
}

static int decimals_of(const char *b)
{
    const char *dot = strchr(b, '.');
    return dot && !strchr(b, 'e') ? (int)strlen(dot + 1) : 0;
}

int tr_fmt_col(double v, int digits, int sig, int given, int width, char buf[TR_NUM_SIZE])
{
    if (sig > 0)
        tr_fmt_sig(v, sig, buf);
    else if (given)
        tr_fmt_short(v, digits, buf);             /* no padding zeros, never "0" for a value not zero */
    else
        tr_fmt_fixed(v, digits, buf);
    if (given && sig > 0)
        strip_zeros(buf);
    int lead = v == 0 || !isfinite(v) ? 0 : -(int)floor(log10(fabs(v)));
    if ((int)strlen(buf) <= width)
        return (int)strlen(buf);
    if (!isfinite(v))
        return -1;
    /* fewer decimals, never fewer than reach the first significant digit */
    for (int d = decimals_of(buf) - 1; d >= (lead > 0 ? lead : 0); d--) { /* mutant: fit-drops-first-digit */
        tr_fmt_fixed(v, d, buf);
        if (given)
            strip_zeros(buf);
        if ((int)strlen(buf) <= width)
            return (int)strlen(buf);
    }
    for (int d = sig > 0 ? sig - 1 : digits; d >= 0; d--) {
        snprintf(buf, TR_NUM_SIZE, "%.*e", d, v);
        compact_exponent(buf);
        if ((int)strlen(buf) <= width)
            return (int)strlen(buf);
    }
    return -1;
}

/* The decimals of v (not zero, finite) at sig significant digits, or -1
 * when tr_fmt_sig writes it in exponent form. */
static int sig_decimals(double v, int sig)
{
    int decimals = sig - 1 - (int)floor(log10(fabs(v)));
    if (decimals > TR_MAX_DIGITS || !(fabs(v) < TR_FIXED_LIMIT))
        return -1;
    return decimals < 0 ? 0 : decimals;
}

char *tr_fmt_sig(double v, int sig, char buf[TR_NUM_SIZE])
{
    if (sig < 1)
        sig = 1;
    if (sig > TR_MAX_DIGITS)
        sig = TR_MAX_DIGITS;
    if (v == 0 || !isfinite(v)) {
        snprintf(buf, TR_NUM_SIZE, v == 0 ? "0" : "%g", v);
        return buf;
    }
    int decimals = sig_decimals(v, sig);
    if (decimals < 0) {
        snprintf(buf, TR_NUM_SIZE, "%.*e", sig - 1, v);
        return buf;
    }
    return tr_fmt_fixed(v, decimals, buf);
}

/* The shortest %.Pg that reads back to v; P into *digits. */
static char *fmt_roundtrip(double v, char buf[TR_NUM_SIZE], int *digits)
{
    int p = 1;
    for (; p <= 17; p++) {
        snprintf(buf, TR_NUM_SIZE, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    *digits = p;
    return buf;
}

char *tr_fmt_roundtrip(double v, char buf[TR_NUM_SIZE])
{
    int p;
    return fmt_roundtrip(v, buf, &p);
}

char *tr_fmt_given(double v, char buf[TR_NUM_SIZE])
{
    int p;
    fmt_roundtrip(v, buf, &p);
    /* %g writes 100 as "1e+02" and 0.00001 as "1e-05": a number a person
     * typed reads better whole, so the same digits in fixed form while its
     * exponent is within TR_GIVEN_FIXED_MIN .. TR_GIVEN_FIXED_MAX */
    const char *e = strchr(buf, 'e');
    if (e && isfinite(v)) { /* mutant: given-in-exponent-form */
        int exp10 = atoi(e + 1);
        if (exp10 >= TR_GIVEN_FIXED_MIN && exp10 <= TR_GIVEN_FIXED_MAX) {
            int decimals = p - 1 - exp10;
            snprintf(buf, TR_NUM_SIZE, "%.*f", decimals > 0 ? decimals : 0, v);
        }
    }
    return buf;
}

char *tr_fmt_exact(double v, char buf[TR_NUM_SIZE])
{
    if (!isfinite(v) || !fmt_general_exact(v, 17, buf))
        snprintf(buf, TR_NUM_SIZE, "%.17g", v);
    return buf;
}

/* The significant digits a value keeps at p's decimals: min(TR_MIN_SIG, digits). */
static int least_sig(tr_prec p)
{
    return p.digits < TR_MIN_SIG ? p.digits : TR_MIN_SIG;
}

/* The rule's significant digits for v at p's decimals when the decimals
 * alone would show fewer than least_sig (0: the decimals are the rule). */
static int kept_sig(double v, tr_prec p)
{
    int least = least_sig(p);
    if (v == 0 || !isfinite(v) || least <= 0 || !(fabs(v) < 1))
        return 0;
    int e = (int)floor(log10(fabs(v)));          /* the first significant digit is at 10^e */
    return p.digits + e + 1 < least ? least : 0; /* fixed form would show fewer than least */ /* mutant: min-sig-off */
}

char *tr_fmt_num(double v, tr_prec p, char buf[TR_NUM_SIZE])
{
    int sig = p.sig > 0 ? p.sig : kept_sig(v, p);
    return sig ? tr_fmt_sig(v, sig, buf) : tr_fmt_fixed(v, p.digits, buf);
}

char *tr_fmt_num_longer(double v, tr_prec p, int more, char buf[TR_NUM_SIZE])
{
    if (v == 0 || !isfinite(v)) {
        int d = (p.sig > 0 ? 0 : p.digits) + more;
        return tr_fmt_fixed(v, d < TR_MAX_DIGITS ? d : TR_MAX_DIGITS, buf);
    }
    int sig = p.sig > 0 ? p.sig : kept_sig(v, p);
    int shown = sig ? sig_decimals(v, sig) : fabs(v) < TR_FIXED_LIMIT ? p.digits : -1;
    if (shown < 0)                                 /* exponent form: significant digits more */
        return tr_fmt_sig(v, (p.sig > 0 ? p.sig : TR_MIN_SIG) + more, buf);
    return tr_fmt_fixed(v, shown + more < TR_MAX_DIGITS ? shown + more : TR_MAX_DIGITS, buf); /* mutant: worksheet-key-source-short */
}

char *tr_fmt_num_given(double v, tr_prec p, char buf[TR_NUM_SIZE])
{
    if (p.sig > 0 || kept_sig(v, p)) {
        tr_fmt_num(v, p, buf);
        strip_zeros(buf);
        return buf;
    }
    return tr_fmt_short(v, p.digits, buf);      /* never "0" for a value not zero, at any digits */
}

char *tr_prec_words(tr_prec p, char *buf, size_t size)
{
    int least = least_sig(p);
    if (p.sig > 0)
        snprintf(buf, size, "rounded to %d significant digit%s", p.sig, p.sig == 1 ? "" : "s");
    else if (least > 0)
        snprintf(buf, size, "rounded to %d decimal%s (at least %d significant digit%s)",
                 p.digits, p.digits == 1 ? "" : "s", least, least == 1 ? "" : "s");
    else
        snprintf(buf, size, "rounded to whole numbers");
    return buf;
}

char *tr_render_operand(const tr_operand *op, const tr_prec *p, int enclosed, char buf[TR_NUM_SIZE + 4])
{
    char num[TR_NUM_SIZE];
    if (!p) {
        snprintf(buf, TR_NUM_SIZE + 4, "%s", op->name);
        return buf;
    }
    if (op->op.dep >= 0)
        tr_fmt_num(op->op.value, *p, num);         /* computed */
    else
        tr_fmt_num_given(op->op.value, *p, num);   /* given: no padding zeros */
    size_t n = strlen(num), at = 0;              /* num fits: TR_NUM_SIZE - 1 at most */
    int paren = num[0] == '-' && !enclosed;
    if (paren)
        buf[at++] = '(';
    memcpy(buf + at, num, n);
    at += n;
    if (paren)
        buf[at++] = ')';
    buf[at] = '\0';
    return buf;
}

/* The structure marks of a template, "$" and one character each, and
 * their plain spellings ("$f" is followed by a letter naming the function). */
typedef struct mark {
    char code;                /* the character after "$" */
    int op;                   /* TR_PIECE_* */
    const char *plain;        /* plain spelling */
} mark;
static const mark marks[] = {
    { '*', TR_PIECE_TIMES, "*" },         { '+', TR_PIECE_PLUS, " + " },
    { '.', TR_PIECE_ELLIPSIS, "..." },    { '(', TR_PIECE_OPEN, "(" },
    { ')', TR_PIECE_CLOSE, ")" },         { 'e', TR_PIECE_EXP, "e^(" },
    { ']', TR_PIECE_EXP_END, ")" },       { 'r', TR_PIECE_RECIPROCAL, "1/(" },
    { 'R', TR_PIECE_RECIPROCAL_END, ")" }, { 's', TR_PIECE_SQUARE, "^2" },
};
static const char *const function_names[TR_FN_COUNT] = { "tanh", "ln", "max" };
static const char function_codes[TR_FN_COUNT + 1] = "tlm";

const char *tr_function_name(int fn)
{
    return fn >= 0 && fn < TR_FN_COUNT ? function_names[fn] : "?";
}

static const mark *mark_of(char code)
{
    for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
        if (marks[k].code == code)
            return &marks[k];
    return NULL;
}

/* Whether s starts a piece that is not text: "$n", a mark, "$/" or "$f". */
static int piece_start(const char *s)
{
    return s[0] == '$' && s[1] && ((s[1] >= '0' && s[1] <= '9') || s[1] == '/' || s[1] == 'f' ||
                                   mark_of(s[1]));
}

/* An operand at s (just past its digits: end) that the template brackets:
 * an open bracket just before it, its close just after. */
static int enclosed(const char *tmpl, const char *s, const char *end)
{
    int open = s - tmpl >= 2 && s[-2] == '$' && (s[-1] == '(' || s[-1] == 'e' || s[-1] == 'r');
    return open && end[0] == '$' && (end[1] == ')' || end[1] == ']' || end[1] == 'R');
}

int tr_template_next(const char *tmpl, const char **p, int n_ops, tr_piece *piece)
{
    const char *s = *p;
    const mark *m;
    if (!*s)
        return 0;
    piece->number = 0;
    piece->enclosed = 0;
    if (s[0] == '$' && s[1] >= '0' && s[1] <= '9') {
        long q = 0;
        const char *at = s;
        for (s++; *s >= '0' && *s <= '9'; s++)
            if (q < 1000000)
                q = q * 10 + (*s - '0');
        piece->enclosed = enclosed(tmpl, at, s); /* mutant: brackets-doubled */
        piece->text = NULL;
        piece->len = 0;
        piece->op = q < n_ops ? (int)q : TR_PIECE_BAD; /* mutant: template-operand-unchecked */
    } else if (s[0] == '$' && s[1] == 'f') {
        const char *fc = s[2] ? strchr(function_codes, s[2]) : NULL;
        piece->number = fc ? (int)(fc - function_codes) : TR_FN_COUNT;
        piece->text = tr_function_name(piece->number);
        piece->len = strlen(piece->text);
        piece->op = TR_PIECE_FUNCTION;
        s += s[2] ? 3 : 2;
    } else if (s[0] == '$' && s[1] && (m = mark_of(s[1])) != NULL) {
        piece->text = m->plain;
        piece->len = strlen(m->plain);
        piece->op = m->op;
        s += 2;
    } else if (s[0] == '$' && s[1] == '/') {
        /* "$/1/n": its plain spelling "1/n" follows the mark */
        const char *start = s + 2;
        for (s = start; *s && *s != '$'; s++)
            if (*s >= '0' && *s <= '9' && s - start >= 2 && piece->number < 100000000)
                piece->number = piece->number * 10 + (*s - '0');
        piece->text = start;
        piece->len = (size_t)(s - start);
        piece->op = TR_PIECE_FRACTION;
    } else {
        const char *start = s;
        for (s++; (s = strchr(s, '$')) != NULL && !piece_start(s); s++)
            ;                                  /* text runs to the next piece */
        if (!s)
            s = start + strlen(start);
        piece->text = start;
        piece->len = (size_t)(s - start);
        piece->op = TR_PIECE_TEXT;
    }
    *p = s;
    return 1;
}

int tr_piece_is_text(int op)
{
    return op == TR_PIECE_TEXT || op <= TR_PIECE_FUNCTION;
}

int tr_template_plain_next(const char *tmpl, const char **p, int n_ops, tr_piece *piece,
                           char *buf, size_t size)
{
    if (!tr_template_next(tmpl, p, n_ops, piece))
        return 0;
    if (!tr_piece_is_text(piece->op) || size == 0)
        return 1;
    size_t len = 0;
    tr_piece next;
    for (;;) {
        size_t take = piece->len < size - 1 - len ? piece->len : size - 1 - len;
        memcpy(buf + len, piece->text, take);
        len += take;
        const char *q = *p;
        if (!tr_template_next(tmpl, &q, n_ops, &next) || !tr_piece_is_text(next.op))
            break;
        *piece = next;
        *p = q;
    }
    buf[len] = '\0';
    piece->op = TR_PIECE_TEXT;
    piece->text = buf;
    piece->len = len;
    piece->number = 0;
    return 1;
}

/* Append n bytes of s to buf (size) if they fit whole, as tx_put does; count them in *len. */
static void render_put(char *buf, size_t size, size_t *len, const char *s, size_t n)
{
    if (*len + n < size) {
        memcpy(buf + *len, s, n);
        buf[*len + n] = '\0';
    }
    *len += n;
}

/* Render tmpl into up to two buffers: a (names) and b (values at *prec);
 * either may be NULL.  Text goes to both, operands each as its buffer says. */
static void render(const char *tmpl, const tr_operand *ops, int n_ops, const tr_prec *prec,
                   char *a, size_t a_size, size_t *a_len, char *b, size_t b_size, size_t *b_len)
{
    char piece[TR_NUM_SIZE + 4];
    tr_piece pc;
    *a_len = *b_len = 0;
    if (a && a_size > 0)
        a[0] = '\0';
    if (b && b_size > 0)
        b[0] = '\0';
    for (const char *p = tmpl; tr_template_next(tmpl, &p, n_ops, &pc); ) {
        if (pc.op == TR_PIECE_BAD) {
            if (a)
                render_put(a, a_size, a_len, "?", 1);
            if (b)
                render_put(b, b_size, b_len, "?", 1);
        } else if (pc.op >= 0) {
            if (a)
                render_put(a, a_size, a_len, ops[pc.op].name, strlen(ops[pc.op].name));
            if (b) {
                const char *t = tr_render_operand(&ops[pc.op], prec, pc.enclosed, piece);
                render_put(b, b_size, b_len, t, strlen(t));
            }
        } else {
            for (size_t at = 0; at < pc.len; ) {          /* in pieces of at most 127 bytes */
                size_t take = pc.len - at < 127 ? pc.len - at : 127;
                if (a)
                    render_put(a, a_size, a_len, pc.text + at, take);
                if (b)
                    render_put(b, b_size, b_len, pc.text + at, take);
                at += take;
            }
        }
    }
}

size_t tr_render(const char *tmpl, const tr_operand *ops, int n_ops, const tr_prec *p,
                 char *buf, size_t size)
{
    size_t len, none;
    if (!p)
        render(tmpl, ops, n_ops, NULL, buf, size, &len, NULL, 0, &none);
    else
        render(tmpl, ops, n_ops, p, NULL, 0, &none, buf, size, &len);
    return len;
}

void tr_render_both(const char *tmpl, const tr_operand *ops, int n_ops, tr_prec p,
                    char *names, size_t names_size, size_t *names_len,
                    char *numbers, size_t numbers_size, size_t *numbers_len)
{
    render(tmpl, ops, n_ops, &p, names, names_size, names_len, numbers, numbers_size, numbers_len);
}

size_t tr_escape_markdown(const char *text, char *buf, size_t size)
{
    char one[3] = { '\\', 0, 0 };
    size_t len = 0;
    char *safe = tx_sanitize_dup(text);        /* as long as it needs: never cut */
    if (size > 0)
        buf[0] = '\0';
    if (!safe)
        return 0;
    for (const char *p = safe; *p; ) {
        if (strchr("\\`*_{}[]()#+-.!|<>~&$", *p)) {
            one[1] = *p;
            tx_put(buf, size, &len, one);
            p++;
        } else {
            int n = tx_utf8_len((const unsigned char *)p);   /* safe is valid UTF-8 */
            char c[5] = { 0 };
            memcpy(c, p, (size_t)(n ? n : 1));
            tx_put(buf, size, &len, c);
            p += n ? n : 1;
        }
    }
    free(safe);
    return len;
}

size_t tr_escape_latex(const char *text, char *buf, size_t size)
{
    size_t len = 0;
    char *safe = tx_sanitize_dup(text);
    if (size > 0)
        buf[0] = '\0';
    if (!safe)
        return 0;
    for (const unsigned char *p = (const unsigned char *)safe; *p; ) {
        int n = tx_utf8_len(p);
        const char *rep = NULL;
        char c[8] = { 0 };
        switch (*p) {
        case '\\': rep = "\\textbackslash{}"; break;
        case '{': rep = "\\{"; break;
        case '}': rep = "\\}"; break;
        case '$': rep = "\\$"; break;
        case '&': rep = "\\&"; break;
        case '#': rep = "\\#"; break;
        case '^': rep = "\\textasciicircum{}"; break;
        case '_': rep = "\\_"; break;
        case '%': rep = "\\%"; break;
        case '~': rep = "\\textasciitilde{}"; break;
        case '<': rep = "\\textless{}"; break;
        case '>': rep = "\\textgreater{}"; break;
        case '|': rep = "\\textbar{}"; break;
        case '"': rep = "\\textquotedbl{}"; break;
        default: break;
        }
        if (rep) {
            tx_put(buf, size, &len, rep);
            p++;
            continue;
        }
        if (n <= 1) {
            c[0] = (char)*p;
            tx_put(buf, size, &len, c);
            p++;
            continue;
        }
        /* U+00A0..U+017F: Latin-1 and Latin Extended-A, which T1 fonts have */
        unsigned cp = tx_utf8_code(p, n);
        if (cp >= 0xA0 && cp <= 0x17F) {
            memcpy(c, p, (size_t)n);
            tx_put(buf, size, &len, c);
        } else {
            tx_put(buf, size, &len, "?");
        }
        p += n;
    }
    free(safe);
    return len;
}

size_t tr_escape_dot(const char *text, char *buf, size_t size)
{
    char *safe = tx_sanitize_dup(text);
    if (!safe) {
        if (size > 0)
            buf[0] = '\0';
        return 0;
    }
    size_t len = tr_escape_json(safe, buf, size);
    free(safe);
    return len;
}

size_t tr_escape_json(const char *text, char *buf, size_t size)
{
    size_t len = 0;
    char piece[16];                 /* at most a surrogate pair, "\\ud83f\\udca0" */
    if (size > 0)
        buf[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)text; *p; ) {
        /* a run of printable ASCII that needs no escape, copied at once */
        const unsigned char *run = p;
        while (*p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\') /* mutant: jsonl-escape-run-lets-quote-through */
            p++;
        if (p > run) {
            size_t k = (size_t)(p - run);
            if (len + k < size) {
                memcpy(buf + len, run, k);
                buf[len + k] = '\0';
            }
            len += k;
            continue;
        }
        int n = tx_utf8_len(p);
        if (n == 0) {
            tx_put(buf, size, &len, "\\ufffd");   /* not UTF-8 */
            p++;
            continue;
        }
        if (*p == '"' || *p == '\\') {
            snprintf(piece, sizeof piece, "\\%c", *p);
        } else if (*p < 0x20 || *p == 0x7F) {
            snprintf(piece, sizeof piece, "\\u%04x", *p);
        } else if ((n == 2 && p[0] == 0xC2 && p[1] < 0xA0) || (n >= 2 && tx_invisible(tx_utf8_code(p, n)))) {
            unsigned cp = tx_utf8_code(p, n);                     /* C1, invisible: as escapes */
            if (cp > 0xFFFF)                                      /* past the BMP: a surrogate pair */ /* mutant: json-astral-unpaired */
                snprintf(piece, sizeof piece, "\\u%04x\\u%04x", 0xD800 + ((cp - 0x10000) >> 10),
                         0xDC00 + ((cp - 0x10000) & 0x3FF));
            else
                snprintf(piece, sizeof piece, "\\u%04x", cp);
        } else {
            memcpy(piece, p, (size_t)n);
            piece[n] = '\0';
        }
        tx_put(buf, size, &len, piece);
        p += n;
    }
    return len;
}

char *tr_batch_rows(const ls_lesson *L, int step, char *buf, size_t size)
{
    /* held-out rows are never in a batch; a lesson's batch is at most its training rows
     * (the loader refuses more), so the rows wrap round at most once */
    int n = L->batch_size, train = L->n_rows - L->test_rows; /* mutant: batch-rows-count-held-out */
    int first = ls_batch_row(L, step, 0) + 1, last = ls_batch_row(L, step, n - 1) + 1;
    if (first + n - 1 <= train)
        snprintf(buf, size, n == 1 ? "data row %d" : "data rows %d..%d", first, last);
    else {                             /* the batch's end wraps round: two runs of rows */
        char head[32], tail[32];
        snprintf(head, sizeof head, first == train ? "%d" : "%d..%d", first, train);
        snprintf(tail, sizeof tail, last == 1 ? "1" : "1..%d", last);
        snprintf(buf, size, "data rows %s and %s (wrapping round to row 1)", head, tail);
    }
    return buf;
}

const char *tr_stage5_reuse(const tr_out *out, int notation)
{
    static const char *const said[2][3] = {
        { "Reused from stage 4: dE_total/dnet_ok. "
          "Output weights: their values before the update of stage 6.",
          "Reused from stage 4: dE_total/dout_ok and dout_ok/dnet_ok. "
          "Output weights: their values before the update of stage 6.",
          "Reused from the layer above: its dE_total/dout and dout/dnet, passed back "
          "through the weights as they were before the update of stage 6." },
        { "Reused from stage 4, marked \\colorbox{reusedbg}{like this}: "
          "$\\partial E_{\\mathrm{total}}/\\partial \\mathit{net}_{ok}$. "
          "Output weights: their values before the update of stage 6.",
          "Reused from stage 4, marked \\colorbox{reusedbg}{like this}: "
          "$\\partial E_{\\mathrm{total}}/\\partial \\mathit{out}_{ok}$ and "
          "$\\partial \\mathit{out}_{ok}/\\partial \\mathit{net}_{ok}$. "
          "Output weights: their values before the update of stage 6.",
          "Reused from the layer above: its $\\partial E_{\\mathrm{total}}/\\partial \\mathit{out}$ and "
          "$\\partial \\mathit{out}/\\partial \\mathit{net}$, passed back "
          "through the weights as they were before the update of stage 6." },
    };
    int L = out->opt.lesson->shape.n_layers, tex = notation == TR_TEX;
    if (out->now->layer >= L - 1)      /* the hidden layer just below the output */ /* mutant: reuse-always-stage-4 */
        return said[tex][out->opt.lesson->shape.loss == NN_LOSS_CROSS_ENTROPY ? 0 : 1];
    return said[tex][2];
}
