"""The banded dynamic programme of the aligner, vectorised with numpy.

A bead's cost (Gale & Church 1993, extended) is computed for every cell of the band at once: each
side's units are first reduced to arrays (lengths, kind bits, blocks, table positions) and to hashed
bit sets (anchors, footnote markers, number readings, character 4-grams), so an overlap is a
``popcount`` of an AND over an OR (the OR's count is ``|a| + |b| - |a & b|`` from per-run counts, and
the AND is counted only on cells where both sides have bits: on a grid most cells pair two marks).
The programme then runs row by row over the band keeping only each cell's best total: the beads that
consume a source unit are a gather from earlier rows, and the target-only skip inside a row is a
running minimum (``np.minimum.accumulate``), so no Python loop runs per cell; which bead won each
cell is read back afterwards from the finished table, for all rows at once.

The band follows a piecewise-linear centre line through structural anchors (see
``align.structural_anchors``), so a document whose sections drift apart keeps a narrow band.
Time and memory are O((n + m) * band).
"""

from __future__ import annotations

import functools
import math
import zlib
from dataclasses import dataclass

import numpy as np

SKIP_COST = 4.2
MERGE_COST = {1: 0.0, 2: 2.0, 3: 3.5}
CROSS_BLOCK_COST = 2.5
#: Beads in tie-break order; (1, 0) and (0, 1) are the skips.
BEADS = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (3, 1), (1, 3)]
VARIANCE = 6.8  # Gale & Church's s^2
KIND_BITS = {"heading": 1, "table_cell": 2, "list_item": 4, "paragraph": 8, "note": 16, "footnote": 32}
HEADING, TABLE = 1, 2
ANCHOR_WORDS, GRAM_WORDS = 2, 8  # 128 bits of anchors, 512 bits of 4-grams


@functools.lru_cache(maxsize=65536)
def _bits(keys: frozenset[str], words: int) -> int:
    """Hash ``keys`` into a ``words`` x 64-bit set, as an int (crc32 is stable across runs, ``hash`` is not)."""
    out = 0
    for k in keys:
        out |= 1 << (zlib.crc32(k.encode("utf-8")) % (64 * words))
    return out


def bitsets(key_sets: list[frozenset[str]] | list[int], words: int) -> np.ndarray:
    """(len(key_sets), words) uint64 array of hashed bit sets (or of ints already hashed)."""
    ints = [k if isinstance(k, int) else _bits(k, words) for k in key_sets]
    raw = b"".join(x.to_bytes(8 * words, "little") for x in ints)
    return np.frombuffer(raw, dtype="<u8").reshape(len(key_sets), words).astype(np.uint64)


@dataclass
class SideArrays:
    """One side's units as arrays; index ``[k][e]`` is the run of ``k`` units ending before unit ``e``.

    Bit sets come with their popcounts (``*_pc``), so a bead's union is ``|a| + |b| - |a & b|``
    and only the intersection is counted per cell.
    """

    n: int
    length: dict[int, np.ndarray]
    kinds: dict[int, np.ndarray]
    cross_block: dict[int, np.ndarray]  # run spans several blocks
    cells: dict[int, np.ndarray]  # run spans several table cells
    anchors: dict[int, np.ndarray]  # (n + 1, ANCHOR_WORDS)
    anchors_pc: dict[int, np.ndarray]
    foot: dict[int, np.ndarray]  # one word per run
    foot_pc: dict[int, np.ndarray]
    nums: dict[int, np.ndarray]  # one word per run
    n_nums: dict[int, np.ndarray]
    text: dict[int, np.ndarray]  # hash of the folded text of the run (0 = empty)
    mark: dict[int, np.ndarray]
    grams: dict[int, np.ndarray]  # (n + 1, GRAM_WORDS)
    grams_pc: dict[int, np.ndarray]
    table: np.ndarray  # (n + 1, 3) table ordinal/row/col of unit e - 1, -1 when none


def _pc(a: np.ndarray) -> np.ndarray:
    """Popcount of each row of a (rows, words) bit set array (or of each word of a 1-D one), as float64."""
    counts = np.bitwise_count(a)
    if counts.ndim == 1:
        return counts.astype(np.float64)
    out = counts[:, 0].astype(np.float64)
    for w in range(1, counts.shape[1]):
        out += counts[:, w]
    return out


def _run_text_hashes(units: list, n_max: int) -> dict[int, np.ndarray]:
    """crc32 + 1 of the space-joined folded texts of every run (0 for an empty single text).

    crc32 continues over concatenated data (``crc32(b, crc32(a)) == crc32(a + b)``), so a run's hash
    extends the hash of the run one shorter instead of joining and encoding the texts again.
    """
    n = len(units)
    enc = [u.folded.encode("utf-8") for u in units]
    raw = [zlib.crc32(e) for e in enc]
    out = {1: np.zeros(n + 1, dtype=np.int64)}
    out[1][1:] = [r + 1 if e else 0 for r, e in zip(raw, enc, strict=True)]
    prev = raw  # prev[i]: crc of the run of k - 1 units starting at unit i
    for k in range(2, n_max + 1):
        cur = [zlib.crc32(enc[i + k - 1], zlib.crc32(b" ", prev[i])) for i in range(max(0, n - k + 1))]
        arr = np.zeros(n + 1, dtype=np.int64)
        arr[k:] = np.asarray(cur, dtype=np.int64) + 1
        out[k] = arr
        prev = cur
    return out


def side_arrays(units: list, n_max: int = 3) -> SideArrays:
    """Per-run features for runs of 1..3 units (``units`` are ``align.Unit``)."""
    n = len(units)
    base_anchor = bitsets([u.anchor_bits for u in units], ANCHOR_WORDS)
    base_foot = np.array([u.foot_bits for u in units], dtype=np.uint64)
    base_nums = np.array([u.num_bits for u in units], dtype=np.uint64)
    base_grams = bitsets([u.gram_bits for u in units], GRAM_WORDS)
    kinds = np.array([KIND_BITS.get(u.kind, 8) for u in units], dtype=np.int64)
    blocks = np.array([u.block for u in units], dtype=np.int64)
    lengths = np.array([u.length for u in units], dtype=np.float64)
    table = np.full((n + 1, 3), -1, dtype=np.int64)
    if n:
        table[1:] = [u.table or (-1, -1, -1) for u in units]
    has_table = table[1:, 0] >= 0
    num_sets = [u.num_keys for u in units]
    has_nums = np.array([bool(s) for s in num_sets], dtype=bool)
    mark_hash = np.array(
        [zlib.crc32(u.mark.encode("utf-8")) + 1 if u.mark else 0 for u in units], dtype=np.int64
    )
    text = _run_text_hashes(units, n_max)
    out = SideArrays(n, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, text, {}, {}, {}, table)
    for k in range(1, n_max + 1):
        size = n + 1
        valid = np.arange(size) >= k
        length = np.zeros(size)
        kb = np.zeros(size, dtype=np.int64)
        anchors = np.zeros((size, ANCHOR_WORDS), dtype=np.uint64)
        foot = np.zeros(size, dtype=np.uint64)
        nums = np.zeros(size, dtype=np.uint64)
        grams = np.zeros((size, GRAM_WORDS), dtype=np.uint64)
        cross = np.zeros(size, dtype=bool)
        cells = np.zeros(size, dtype=bool)
        n_nums = np.zeros(size)
        mark = np.zeros(size, dtype=np.int64)
        for off in range(k):  # unit e - 1 - off belongs to the run ending before e
            idx = np.arange(size) - 1 - off
            ok = valid & (idx >= 0)
            src = idx[ok]
            length[ok] += lengths[src]
            kb[ok] |= kinds[src]
            anchors[ok] |= base_anchor[src]
            foot[ok] |= base_foot[src]
            nums[ok] |= base_nums[src]
            grams[ok] |= base_grams[src]
        length[valid] += k - 1
        ends = np.arange(k, size)  # runs units[e - k : e]
        if k > 1:
            cross[k:] = blocks[ends - k] != blocks[ends - 1]
            # several table cells: two tabled units of the run at different (row, col)
            for a in range(k):
                for b in range(a + 1, k):
                    ia, ib = ends - k + a, ends - k + b
                    cells[k:] |= (
                        has_table[ia]
                        & has_table[ib]
                        & ((table[ia + 1, 1] != table[ib + 1, 1]) | (table[ia + 1, 2] != table[ib + 1, 2]))
                    )
        any_nums = np.zeros(len(ends), dtype=bool)
        for off in range(k):
            any_nums |= has_nums[ends - k + off]
        for e in ends[any_nums].tolist():
            n_nums[e] = len(set().union(*num_sets[e - k : e]))
        first_mark = mark_hash[ends - k].copy()
        for off in range(1, k):
            first_mark = np.where(first_mark > 0, first_mark, mark_hash[ends - k + off])
        mark[k:] = first_mark
        out.length[k] = length
        out.kinds[k] = kb
        out.cross_block[k] = cross
        out.cells[k] = cells
        out.anchors[k] = anchors
        out.anchors_pc[k] = _pc(anchors)
        out.foot[k] = foot
        out.foot_pc[k] = _pc(foot)
        out.nums[k] = nums
        out.n_nums[k] = n_nums
        out.mark[k] = mark
        out.grams[k] = grams
        out.grams_pc[k] = _pc(grams)
    return out


def _erfc(x: np.ndarray) -> np.ndarray:
    """Complementary error function (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7), x >= 0."""
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return poly * np.exp(-x * x)


def _inter(
    s_bits: np.ndarray, t_bits: np.ndarray, r: np.ndarray, c: np.ndarray, both: np.ndarray
) -> np.ndarray:
    """``|s_bits[r] & t_bits[c]|`` per cell, counted only where ``both`` sets are non-empty (0 elsewhere):
    most cells of a grid pair a mark with a mark, whose 4-grams and anchors are empty."""
    out = np.zeros(len(r))
    idx = np.flatnonzero(both)
    if idx.size:
        x = np.take(s_bits, r[idx], axis=0)
        x &= np.take(t_bits, c[idx], axis=0)
        out[idx] = _pc(x)
    return out


def bead_costs(
    s: SideArrays, t: SideArrays, di: int, dj: int, rows: np.ndarray, cols: np.ndarray, ratio: float
) -> np.ndarray:
    """Cost of bead (di, dj) ending at every cell (``rows[x]``, ``cols[x]``), 1-D arrays of cells."""
    valid = (rows >= di) & (cols >= dj) & (cols <= t.n)
    r = np.where(valid, rows, 0)
    c = np.where(valid, cols, 0)

    def pair(name: str) -> tuple[np.ndarray, np.ndarray]:
        return np.take(getattr(s, name)[di], r, axis=0), np.take(getattr(t, name)[dj], c, axis=0)

    ls, lt = pair("length")
    mean = (ls + lt / ratio) / 2
    delta = np.abs(lt - ls * ratio) / np.sqrt(np.maximum(mean, 1.0) * VARIANCE)
    p = _erfc(delta / math.sqrt(2))
    cost = MERGE_COST[max(di, dj)] + np.minimum(12.0, -np.log(np.maximum(p, 1e-6)))
    # structure
    sk, tk = pair("kinds")
    differ = sk != tk
    cost += np.where(differ, np.where(((sk & TABLE) > 0) != ((tk & TABLE) > 0), 2.5, 1.0), 0.0)
    cost += np.where(differ & (((sk & HEADING) > 0) != ((tk & HEADING) > 0)), 1.5, 0.0)
    for side_k, side, idx, kinds in ((di, s, r, sk), (dj, t, c, tk)):
        if side_k > 1:
            cross, cells = np.take(side.cross_block[side_k], idx), np.take(side.cells[side_k], idx)
            cost += np.where(cross, CROSS_BLOCK_COST, 0.0)
            cost += np.where(cross & ((kinds & (HEADING | TABLE)) > 0), 3.0, 0.0)
            cost += np.where(cells, 6.0, 0.0)
    if di == 1 and dj == 1:
        st, tt = np.take(s.table, r, axis=0), np.take(t.table, c, axis=0)
        both = (st[..., 0] >= 0) & (tt[..., 0] >= 0)
        cost += np.where(both & (st[..., 2] != tt[..., 2]), 1.5, 0.0)
        cost += np.where(both & (st[..., 1] != tt[..., 1]), 0.05, 0.0)
        cost += np.where(both & (st[..., 0] != tt[..., 0]), 0.8, 0.0)
    # anchors: |a | b| = |a| + |b| - |a & b|
    stx, ttx = pair("text")
    cost += np.where((stx != 0) & (stx == ttx), -2.0, 0.0)
    pa, qa = pair("anchors_pc")
    pf, qf = pair("foot_pc")
    sn, tn = pair("n_nums")
    sv, tv = pair("nums")
    num_hit = (sv & tv) != 0
    both_a = _inter(s.anchors[di], t.anchors[dj], r, c, (pa > 0) & (qa > 0))
    both_f = _inter(s.foot[di], t.foot[dj], r, c, (pf > 0) & (qf > 0))
    inter = both_a + 0.3 * both_f + num_hit * np.minimum(sn, tn)
    union = (pa + qa - both_a) + 0.3 * (pf + qf - both_f) + np.maximum(sn, tn)
    jac = np.divide(inter, union, out=np.zeros_like(union), where=union > 0)
    cost += np.where(union > 0, np.minimum(3.0, 3.0 * union) * (1 - jac) - 1.5 * jac, 0.0)
    gs, gt = pair("grams_pc")
    both_g = (gs > 0) & (gt > 0)
    dice = np.divide(
        2 * _inter(s.grams[di], t.grams[dj], r, c, both_g), gs + gt, out=np.zeros_like(gs), where=both_g
    )
    cost -= 2.0 * dice
    sm, tm = pair("mark")
    both_m = (sm > 0) & (tm > 0)
    cost += np.where(both_m, np.where(sm == tm, -0.8, 1.0), 0.0)
    return np.where(valid, cost, np.inf)


def _choices(
    total: np.ndarray,
    costs: np.ndarray,
    shifts: list[tuple[int, int, np.ndarray]],
    pad: int,
    width: int,
    start: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Which bead (``BEADS`` index) won every cell and its cost, for all rows at once.

    The candidates of a row are recomputed from the finished ``total`` table exactly as the forward
    pass added them (same operands, same order), so the first-minimum choice is the same.
    """
    rows, ks = total.shape[0], np.arange(width)
    best = np.full((rows, width), np.inf)
    arg = np.zeros((rows, width), dtype=np.int64)
    consuming = [b for b, (di, _dj) in enumerate(BEADS) if di > 0]
    for slot, di, sh in shifts:
        cand = np.full((rows, width), np.inf)
        src = np.arange(rows - di)[:, None]
        cand[di:] = total[src, pad + sh[:, None] + ks[None, :]] + costs[di:, slot, :]
        if slot == 0:
            cand[0, start] = 0.0
        better = cand < best
        best = np.where(better, cand, best)
        arg = np.where(better, slot, arg)
    v = best - ks * SKIP_COST
    run = np.minimum.accumulate(v, axis=1)
    origin = np.maximum.accumulate(np.where(v <= run, ks, 0), axis=1)
    from_skip = origin != ks
    bead_of_slot = np.array(consuming, dtype=np.int8)
    back = np.where(from_skip, 2, bead_of_slot[arg]).astype(np.int8)
    step = np.where(from_skip, SKIP_COST, np.take_along_axis(costs, arg[:, None, :], axis=1)[:, 0, :])
    back[0, start] = -1
    return back, step


def band_dp(
    s: SideArrays, t: SideArrays, centers: np.ndarray, half: np.ndarray, ratio: float
) -> list[tuple[int, int, int, int, float]]:
    """Best monotone bead path: list of (i0, i1, j0, j1, cost) in order (source i0:i1, target j0:j1).

    Cell (i, k) of the band is column ``j = centers[i] - band + k``. A bead (di, dj) reaches it from
    row ``i - di`` at a shifted index, so each row reads the earlier rows through slices of a padded
    table; the target-only skips of a row are a running minimum. Row ``i`` uses only the
    ``half[i]`` cells on either side of its centre (costs are computed for those cells only).
    """
    n, m = s.n, t.n
    band = int(half.max())
    width = 2 * band + 1
    lo = centers - band  # column of band index 0, per row
    cols = lo[:, None] + np.arange(width)[None, :]
    in_range = (cols >= 0) & (cols <= m) & (np.abs(np.arange(width)[None, :] - band) <= half[:, None])
    consuming = [(b, di, dj) for b, (di, dj) in enumerate(BEADS) if di > 0]
    costs = np.full((n + 1, len(consuming), width), np.inf)
    act_r, act_k = np.nonzero(in_range)
    act_c = cols[act_r, act_k]
    chunk = 250_000
    for slot, (_b, di, dj) in enumerate(consuming):
        if dj == 0:
            costs[act_r, slot, act_k] = np.where(act_r >= di, SKIP_COST, np.inf)
            continue
        for a in range(0, len(act_r), chunk):
            r, k, c = act_r[a : a + chunk], act_k[a : a + chunk], act_c[a : a + chunk]
            costs[r, slot, k] = bead_costs(s, t, di, dj, r, c, ratio)
    pad = 3 * band + 8  # a 3-1 bead reads three rows back
    total = np.full((n + 1, width + 2 * pad), np.inf)
    ks = np.arange(width)
    skip_ramp = ks * SKIP_COST
    start = int(-lo[0])  # band index of the start cell (0, 0)
    # band index in row i - di of column j - dj is k + shift
    shifts = [(slot, di, lo[di:] - lo[: n + 1 - di] - dj) for slot, (_b, di, dj) in enumerate(consuming)]
    shift_rows = [(slot, di, sh.tolist()) for slot, di, sh in shifts]
    cand = np.empty((len(consuming), width))
    base = np.empty(width)
    # Forward pass: only the best total of every cell (which bead won is read back afterwards).
    for i in range(n + 1):
        row_costs = costs[i]
        for slot, di, sh in shift_rows:
            if i < di:
                cand[slot].fill(np.inf)
                continue
            at = pad + sh[i - di]
            np.add(total[i - di, at : at + width], row_costs[slot], out=cand[slot])
        if i == 0:
            cand[0, start] = 0.0
        cand.min(axis=0, out=base)
        run = np.minimum.accumulate(base - skip_ramp)
        total[i, pad : pad + width] = np.where(in_range[i], run + skip_ramp, np.inf)
    back, step = _choices(total, costs, shifts, pad, width, start)
    beads = []
    i, k = n, int(m - lo[n])
    while i > 0 or cols[i, k] > 0:
        di, dj = BEADS[int(back[i, k])]
        j = int(cols[i, k])
        beads.append((i - di, i, j - dj, j, float(step[i, k])))
        i -= di
        k = int(j - dj - lo[i])
    beads.reverse()
    return beads
