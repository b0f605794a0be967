// What the direct-file engine needs from C and Swift does not spell: cache prefetch hints for
// the random probes of the join's key table and rows, and a 64-byte classifier for the CSV scanner
// (SSE2, the x86-64 baseline, with a portable fallback). Header only, nothing to link.
#ifndef DOSECAL_ENGINE_SHIMS_H
#define DOSECAL_ENGINE_SHIMS_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Hints the CPU to bring the cache line holding `address` in for a write (no effect on results).
static inline void dosecal_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

/// Hints the CPU to bring the cache line holding `address` in for a read (no effect on results).
static inline void dosecal_prefetch_for_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Classifies the 64 bytes at `bytes`: bit i of `*commas` is set when byte i is ',', bit i of
/// `*others` when it is '"', LF or CR, bit i of `*high` when byte i is not ASCII (high bit set).
static inline void dosecal_classify64(const uint8_t *bytes, uint64_t *commas, uint64_t *others, uint64_t *high) {
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
    const __m128i lineFeed = _mm_set1_epi8('\n'), carriageReturn = _mm_set1_epi8('\r');
    uint64_t c = 0, o = 0, h = 0;
    for (int k = 0; k < 4; k++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(bytes + 16 * k));
        const __m128i special = _mm_or_si128(_mm_cmpeq_epi8(v, quote),
                                             _mm_or_si128(_mm_cmpeq_epi8(v, lineFeed), _mm_cmpeq_epi8(v, carriageReturn)));
        c |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) << (16 * k);
        o |= (uint64_t)(uint32_t)_mm_movemask_epi8(special) << (16 * k);
        h |= (uint64_t)(uint32_t)_mm_movemask_epi8(v) << (16 * k);
    }
    *commas = c;
    *others = o;
    *high = h;
#else
    uint64_t c = 0, o = 0, h = 0;
    for (int i = 0; i < 64; i++) {
        const uint8_t b = bytes[i];
        if (b == ',') c |= (uint64_t)1 << i;
        if (b == '"' || b == '\n' || b == '\r') o |= (uint64_t)1 << i;
        if (b & 0x80) h |= (uint64_t)1 << i;
    }
    *commas = c;
    *others = o;
    *high = h;
#endif
}

#endif
