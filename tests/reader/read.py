#!/usr/bin/env python3
"""The reader's check, second half: read back every number a screen draws.

usage: read.py SCREENS TRACE.jsonl [--digits N] [--sig N] [--mode step|present|quiz] [--title T]

SCREENS is what tests/reader/screens printed (a "@@ step S stage T value K
visible V reveal R" line before each screen's rows); TRACE.jsonl is `nntrace trace
--format jsonl` of the same lesson and steps, the independent record of every
value and every operand.  The reader knows nothing of how the stepper works:
it finds the panels by their rules, the names by their spelling, and checks
each number drawn against the trace at the precision shown:

- a number is right when it is the exact value correctly rounded to the
  decimals (or exponent digits) it shows, and is not shown as zero when it is
  not zero (unless that is its rounding at the digits asked for);
- the figure: each box's net and out, each line's weight (the value now: the
  update once stage 6 reached it), the inputs and targets of the sample the
  header names; a value not reached yet must show as "·", a value reached
  must show; every line into a box says where it comes from and its weight;
- the derivation: the name and sample of the current value, each number of
  the substituted line against the operand its name stands at in the
  formula, the result; the result must be on screen;
- the stage's values so far, and what the value is computed from;
- no line of text may run into the screen's edge without a mark (…);
- the figure holds still: its boxes stand in the same columns on every screen.

Prints one line per difference (at most 40), then a count; exits 1 if any.
"""
import json
import re
import sys

NUM = re.compile(r'^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$')
MARKS = '▸≠✓✗!>*'
# words that may end a line at the screen's edge (what the computed-from panel says of an operand)
WHOLE = {'input', 'weight', 'rate', 'target', 'reused'}


def rounds_to(shown, v, digits, sig):
    """'' when shown is a right reading of v at the precision it shows, else why not."""
    if shown in ('…', '~'):
        return ''
    if not NUM.match(shown):
        return 'not a number'
    if 'e' in shown:
        mant = shown.split('e')[0]
        p = len(mant.split('.')[1]) if '.' in mant else 0
        want = format(v, '.%de' % p)
        return '' if float(want) == float(shown) else 'is not %s rounded (%s)' % (repr(v), want)
    p = len(shown.split('.')[1]) if '.' in shown else 0
    want = format(v, '.%df' % p)
    if want.startswith('-') and float(want) == 0:
        want = want[1:]
    if want != shown.lstrip('+') and not (float(want) == 0 and float(shown) == 0):
        return 'is not %r rounded to %d decimals (%s)' % (v, p, want)
    if v != 0 and float(shown) == 0:
        asked = format(v, '.%df' % digits) if not sig else ''
        if sig or float(asked) != 0 or p < digits:
            return 'shows %r as zero' % v
    return ''


# The presenter's block digits, 3 x 5 cells each, read back as a reader reads them.
FONT = {
    '0': ['###', '# #', '# #', '# #', '###'], '1': [' # ', '## ', ' # ', ' # ', '###'],
    '2': ['###', '  #', '###', '#  ', '###'], '3': ['###', '  #', '###', '  #', '###'],
    '4': ['# #', '# #', '###', '  #', '  #'], '5': ['###', '#  ', '###', '  #', '###'],
    '6': ['###', '#  ', '###', '# #', '###'], '7': ['###', '  #', '  #', '  #', '  #'],
    '8': ['###', '# #', '###', '# #', '###'], '9': ['###', '# #', '###', '  #', '###'],
    '-': ['   ', '   ', '###', '   ', '   '], '.': ['   ', '   ', '   ', '   ', ' # '],
}
SHAPES = {''.join(v): k for k, v in FONT.items()}


def read_big(rows):
    """The number drawn in block digits in rows (all the same height), or None."""
    h = len(rows)
    if h % 5:
        return None
    cell = h // 5
    width = max(len(r) for r in rows)
    lit = [x for x in range(width) if any(x < len(r) and r[x] == '█' for r in rows)]
    if not lit:
        return None
    x0, text = lit[0], ''
    while x0 <= lit[-1]:
        shape = ''
        for r in range(5):
            for c in range(3):
                row = rows[r * cell]
                x = x0 + c * cell
                shape += '#' if x < len(row) and row[x] == '█' else ' '
        if shape not in SHAPES:
            return None
        text += SHAPES[shape]
        x0 += 4 * cell
    return text


class Trace:
    def __init__(self, path):
        self.events = []
        with open(path) as f:
            for line in f:
                if line.strip():
                    self.events.append(json.loads(line))
        self.by_stage = {}
        self.given = {}      # (step, sample, name) -> value of an input, target
        self.w_before = {}   # (step, weight number) -> the weight as the step found it
        for i, e in enumerate(self.events):
            e['index'] = i
            self.by_stage.setdefault((e['step'], e['stage']), []).append(e)
            for op in e['operands']:
                if op['kind'] == 'weight':
                    self.w_before.setdefault((e['step'], op['weight']), op['value'])
                elif op['kind'] in ('input', 'target'):
                    m = re.match(r'^X(\d+):(\w+)$', op['name'])
                    if m:                                  # a batch formula's "X3:x5"
                        self.given[(e['step'], int(m.group(1)), m.group(2))] = op['value']
                    elif e['sample']:
                        self.given[(e['step'], e['sample'], op['name'])] = op['value']
        self.batch = {}
        for e in self.events:
            self.batch[e['step']] = max(self.batch.get(e['step'], 0), e['sample'] or 0)
        self.traced = {}     # (step, sample or 0, symbol) -> event
        for e in self.events:
            self.traced.setdefault((e['step'], e['sample'] or 0, e['symbol']), e)

    def current(self, step, stage, value):
        return self.by_stage[(step, stage)][value - 1]


def sections(rows):
    """Rules: (row, column, title) of each '─ Title ───' line start."""
    out = []
    for y, r in enumerate(rows):
        for m in re.finditer(r'─ ([^─]+?) ─', r):
            title = m.group(1).strip()
            known = re.match(r'(Formula|Stage \d so far|Computed from|Note|The whole derivation)', title)
            if known and (m.start() == 0 or r[m.start() - 1] == ' '):   # a panel's rule
                out.append((y, m.start(), title))
    return out


class Reader:
    def __init__(self, trace, digits, sig, mode):
        self.t, self.digits, self.sig, self.mode = trace, digits, sig, mode
        self.diffs = []
        self.screens = 0
        self.numbers = 0
        self.unread = 0
        self.box_cols = None     # the columns of the figure's boxes on the first screen

    def bad(self, where, text):
        self.diffs.append('%s: %s' % (where, text))

    def num(self, where, shown, v):
        self.numbers += 1
        why = rounds_to(shown, v, self.digits, self.sig)
        if why:
            self.bad(where, '%s %s' % (shown, why))

    def screen(self, head, rows):
        self.screens += 1
        step, stage, value, visible = head
        cur = self.t.current(step, stage, value)
        self.cur = cur
        limit = cur['index'] if visible else cur['index'] - 1
        where = 'step %d stage %d value %d' % (step, stage, value)
        self.where = where
        m = re.search(r'sample X(\d+)', rows[1]) if len(rows) > 1 else None
        # a batch value's figure shows the batch's last sample (the header names no sample)
        sample = int(m.group(1)) if m else (cur['sample'] or self.t.batch[step])
        rules = sections(rows)
        side = [r for r in rules if r[1] > 0]
        full = [r for r in rules if r[1] == 0]
        side_x = side[0][1] if side else len(rows[0])
        # the side panel runs down to the first rule that crosses its column
        side_end = min([y for y, _, _ in full if side and y > side[0][0] and len(rows[y]) > side_x
                        and rows[y][side_x - 1:side_x + 1] == '──'] or [len(rows) - 1])
        fig_end = full[0][0] if full else len(rows) - 1
        if self.mode == 'present':
            self.present(rows, cur, visible, step, sample, limit, where)
            return
        self.figure(rows[2:fig_end], side_x, step, sample, limit, where)
        # the figure holds still: its boxes stand in the same columns on every screen
        cols = sorted({m.start() for r in rows[2:fig_end] for m in re.finditer('┌', r[:side_x])})
        if self.box_cols is None:
            self.box_cols = cols
        elif cols and cols != self.box_cols:
            self.bad(where, 'the figure moved: boxes at columns %s, before at %s' % (cols, self.box_cols))
        for k, (y, x, title) in enumerate(rules):
            if x > 0:
                below = [r for r in side if r[0] > y]
                end = min(below[0][0] if below else side_end, side_end)
                body = [r[x:] for r in rows[y + 1:end]]
            else:
                below = [r for r in full if r[0] > y]
                end = below[0][0] if below else len(rows) - 1
                body = [r[:side_x] if y < side_end else r for r in rows[y + 1:end]]
            if title.startswith('Formula'):
                self.derivation(body, cur, visible, where, rows[y])
            elif re.match(r'Stage \d so far', title):
                self.so_far(body, step, limit, where)
            elif title.startswith('Computed from'):
                self.sources(body, cur, where)
        notes = set()
        for y, x, title in full:
            if title.startswith('Note'):
                notes.update(range(y + 1, len(rows) - 1))     # word-wrapped prose, read elsewhere
        self.edges(rows, notes)
        if self.title and self.title not in rows[0]:
            t = rows[0].split('│', 1)[-1].strip()
            if '…' not in t:
                self.bad(where, 'the title is cut without a mark: %r' % t[:60])

    # ----------------------------------------------------------- figure
    def weight_now(self, step, w, limit):
        e = self.t.traced.get((step, 0, 'w%d' % w))
        if e and e['stage'] == 6 and e['index'] <= limit:
            return e['value']
        return self.t.w_before.get((step, w))

    def figure(self, rows, side_x, step, sample, limit, where):
        self.boxes_read = set()
        self.figure_rows(rows, side_x, step, sample, limit, where)
        cur = self.cur
        if cur['kind'] in ('net', 'out') and cur['sample'] == sample and cur['symbol'] not in self.boxes_read:
            self.bad(where, 'the figure does not show %s, the value at hand' % cur['symbol'])

    def figure_rows(self, rows, side_x, step, sample, limit, where):
        boxes = {}   # column of a box's left side -> (name, row it opened on)
        for y, row in enumerate(rows):
            row = row[:side_x]
            at = '%s, figure row %d' % (where, y + 3)
            for m in re.finditer(r'─(w\d+)\s*([^\s─]*)─+▶', row):
                shown = m.group(2)
                v = self.weight_now(step, int(m.group(1)[1:]), limit)
                if not shown:
                    self.bad(at, 'the line of %s carries no value' % m.group(1))
                elif v is not None:
                    self.num(at + ' ' + m.group(1), shown, v)
            for m in re.finditer(r'─▶', row):
                left = row[:m.start()]
                if not re.search(r'(\S+) ─w\d+\s*\S*─*$', left):
                    self.bad(at, 'a line into column %d does not say where it comes from' % m.start())
            for m in re.finditer(r'[┌│└]', row):
                c = m.start()
                if m.group(0) == '┌':
                    nm = re.match(r'┌(\S+)', row[c:])
                    boxes[c] = (nm.group(1) if nm else '?', y)
                if c not in boxes:
                    continue
                name, y0 = boxes[c]
                part = row[c + 1:]
                if y == y0:
                    part = part[len(name):]
                mm = re.match(r'\s*(net|out)?\s*(\S+)', part)
                if not mm or (mm.group(2).startswith('─') or mm.group(2) in ('bias',)):
                    continue
                kind = mm.group(1) or ('net' if y == y0 else 'out' if y == y0 + 1 else None)
                if kind is None or not (NUM.match(mm.group(2)) or mm.group(2) in '·…'):
                    continue
                self.box(at, step, sample, kind + '_' + name, mm.group(2), limit)
                if m.group(0) == '└':
                    del boxes[c]
            for m in re.finditer(r'(?:^|\s)([xy]\d+)\s+(-?[\d.]+(?:e[+-]?\d+)?)(?=\s|$)', row):
                v = self.t.given.get((step, sample, m.group(1)))
                if v is None:
                    # the trace names only the inputs its formulas show (long sums elide
                    # terms): an input no formula of the step shows is not read
                    self.unread += 1
                else:
                    self.num(at + ' ' + m.group(1), m.group(2), v)

    def box(self, at, step, sample, symbol, shown, limit):
        e = self.t.traced.get((step, sample, symbol))
        self.boxes_read.add(symbol)
        if e is None:
            self.bad(at, '%s of X%d is not in the trace' % (symbol, sample))
        elif e['index'] > limit:
            if shown != '·':
                self.bad(at, '%s shows %s before it is reached' % (symbol, shown))
        elif shown == '·':
            self.bad(at, '%s is reached but shows ·' % symbol)
        else:
            self.num(at + ' ' + symbol, shown, e['value'])

    # -------------------------------------------------------- presenter
    def present(self, rows, cur, visible, step, sample, limit, where):
        big = [y for y, r in enumerate(rows) if '█' in r]
        top = min(big) if big else len(rows) - 1
        name = re.compile(r'^\s+(X\d+: )?\S+ = ')
        der = [y for y, r in enumerate(rows[:top]) if name.match(r)]
        self.figure(rows[2:der[0] if der else top], len(rows[0]), step, sample, limit, where)
        if der:
            body = [rows[der[0]]]
            for r in rows[der[0] + 1:top]:
                if not r.strip():
                    break
                body.append(r)
            text = ' '.join(r.strip() for r in body)
            parts = text.split(' = ')
            want = ('X%d: ' % cur['sample'] if cur['sample'] else '') + cur['symbol']
            if parts[0].strip() != want:
                self.bad(where, 'the presenter shows %r, the value is %s' % (parts[0], want))
            elif len(parts) >= 3 and cur['operands'] and '…' not in text:
                self.substituted(parts[1], parts[2].lstrip('= '), cur, where)
            elif len(parts) < 3 and cur['operands'] and self.reveal >= 1 and '…' not in text:
                self.bad(where, 'the presenter does not show the numbers of %s at its reveal' % want)
        if big:
            block = rows[min(big):max(big) + 1]
            text = read_big(block)
            if text is None:
                self.bad(where, 'block digits that do not read as a number')
            elif not visible:
                self.bad(where, 'the result %s is shown before its reveal' % text)
            else:
                self.num(where + ' presented result', text, cur['value'])
        elif visible:
            after = [r.strip() for r in rows[der[0] + len(body):-1] if r.strip()] if der else []
            if not after or not after[0].startswith('= '):
                self.bad(where, 'the presenter does not show the result of %s' % cur['symbol'])
            else:
                self.num(where + ' presented result', after[0][2:].split()[0], cur['value'])

    # ------------------------------------------------------- derivation
    def derivation(self, body, cur, visible, where, rule):
        text = ' '.join(r.strip() for r in body if r.strip())
        text = re.sub(r' \(was [^)]*\)| right\b| the answer\b', '', text)
        if not text:
            return
        parts = text.split(' = ')
        name = ('X%d: ' % cur['sample'] if cur['sample'] else '') + cur['symbol']
        if parts[0].strip() != name:
            self.bad(where, 'the derivation is of %r, the value is %s' % (parts[0], name))
            return
        if self.mode == 'present':
            return
        cut = '…' in text
        want = 4 if cur['operands'] else 3
        if cut and len(parts) >= 2 and '…' not in parts[-1]:
            want = len(parts)                    # formula cut (marked): the result still last
        if len(parts) < want and '?' not in parts[-1]:
            self.bad(where, 'the result of %s is not on screen (%s)' % (name, rule.strip('─ ')))
        if len(parts) >= 3 and cur['operands'] and '?' not in parts[2] and not cut:
            self.substituted(parts[1], parts[2], cur, where)
        if len(parts) >= want and visible:
            self.num(where + ' result of ' + name, parts[want - 1].split()[0], cur['value'])

    def substituted(self, sym, nums, cur, where):
        ops = {}
        for op in cur['operands']:
            ops.setdefault(op['name'], op['value'])
        tok = re.compile(r'[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_][A-Za-z0-9_/]*)?(?:/[A-Za-z_][A-Za-z0-9_]*)?|\d+(?:\.\d+)?(?:e[+-]?\d+)?|\.\.\.|…')
        def tokens(s):
            out = []
            for m in tok.finditer(s):
                neg = m.start() > 0 and s[m.start() - 1] == '-' and (m.start() < 2 or s[m.start() - 2] == '(')
                out.append((m.group(0), neg))
            return out
        a, b = tokens(sym), tokens(nums)
        if len(a) != len(b):
            self.bad(where, 'formula and numbers do not line up: %r / %r' % (sym, nums))
            return
        for (s, sneg), (n, nneg) in zip(a, b):
            if s in ops:
                v = ops[s]
                if sneg:                 # "e^(-net)": the sign is the formula's, the number's own inside
                    self.num(where + ' operand ' + s, n, abs(v))
                else:
                    self.num(where + ' operand ' + s, ('-' if nneg else '') + n, v)
            elif s != n:
                self.bad(where, 'formula has %r where the numbers have %r' % (s, n))

    # ----------------------------------------------------------- lists
    def so_far(self, body, step, limit, where):
        for row in body:
            toks = row.split()
            q = 0
            while q < len(toks):
                t = toks[q].lstrip(MARKS)
                sample = 0
                if not t:
                    q += 1
                    continue
                if re.match(r'^X\d+$', t) and q + 1 < len(toks):
                    sample = int(t[1:])
                    q += 1
                    t = toks[q]
                if t in ('↑', '^', 'more', 'above'):
                    q += 1
                    continue
                if q + 1 >= len(toks):
                    break
                shown = toks[q + 1]
                e = self.t.traced.get((step, sample, t))
                if e is None:
                    self.bad(where, 'so far: %s of X%d is not in the trace' % (t, sample))
                elif shown == '?':
                    if e['index'] <= limit:
                        self.bad(where, 'so far: %s is reached but shows ?' % t)
                else:
                    if e['index'] > limit:
                        self.bad(where, 'so far: %s shows %s before it is reached' % (t, shown))
                    self.num(where + ' so far ' + t, shown, e['value'])
                q += 2

    def sources(self, body, cur, where):
        ops = {}
        for op in cur['operands']:
            ops.setdefault(op['name'], op['value'])
        for row in body:
            toks = row.split()
            if len(toks) < 2 or toks[0] == '...':
                continue
            name = toks[0]
            if name.endswith('…'):                # a long name cut, marked: one it begins
                like = [n for n in ops if n.startswith(name[:-1])]
                if not like:
                    self.bad(where, 'computed from: %s begins no operand of %s' % (name, cur['symbol']))
                elif not any(rounds_to(toks[1], ops[n], self.digits, self.sig) == '' for n in like):
                    self.bad(where, 'computed from: %s %s is none of %s' % (name, toks[1], like))
            elif name not in ops:
                self.bad(where, 'computed from: %s is no operand of %s' % (name, cur['symbol']))
            else:
                self.num(where + ' computed from ' + name, toks[1], ops[name])

    # ------------------------------------------------------------ edges
    def edges(self, rows, skip):
        for y, r in enumerate(rows[:-1]):
            if y in skip:
                continue
            last = r.split()[-1] if r.strip() else ''
            if len(r) > 1 and r[-1].isalpha() and r[-2].isalpha() and last not in WHOLE:
                self.bad('%s, row %d' % (self.where, y + 1), 'text runs into the edge: %r' % r[-20:])


def main():
    args = sys.argv[1:]
    digits, sig, mode, title = 6, 0, 'step', ''
    screens_path, trace_path = args[0], args[1]
    q = 2
    while q < len(args):
        if args[q] == '--digits':
            digits = int(args[q + 1])
        elif args[q] == '--sig':
            sig = int(args[q + 1])
        elif args[q] == '--mode':
            mode = args[q + 1]
        elif args[q] == '--title':
            title = args[q + 1]
        q += 2
    rd = Reader(Trace(trace_path), digits, sig, mode)
    rd.title = title
    head, rows = None, []
    with open(screens_path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('@@ '):
                if head:
                    rd.screen(head, rows)
                w = line.split()
                head, rows = (int(w[2]), int(w[4]), int(w[6]), int(w[8])), []
                rd.reveal = int(w[10]) if len(w) > 10 else 2
            else:
                rows.append(line)
    if head:
        rd.screen(head, rows)
    seen = set()
    shown = 0
    for d in rd.diffs:
        key = re.sub(r'step \d+ stage \d value \d+', '', d)
        if key in seen:
            continue
        seen.add(key)
        if shown < 40:
            print('  ' + d)
        shown += 1
    print('%d screens, %d numbers read (%d inputs no formula shows, not read), %d differences (%d distinct)' %
          (rd.screens, rd.numbers, rd.unread, len(rd.diffs), len(seen)))
    return 1 if rd.diffs else 0


if __name__ == '__main__':
    sys.exit(main())
