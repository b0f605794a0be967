// What the direct-file engine needs from C and Swift does not spell: cache prefetch hints for
// the random probes of the join's key table and rows, and a 64-byte classifier for the CSV scanner
// (SSE2, the x86-64 baseline, with a portable fallback; AVX2 for whole buffers where the CPU has
// it), and the compare-and-swap of the pair words both exposure ranges share. Header only,
// nothing to link.
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

/// Reads a 32-bit word that another thread may compare-and-swap (relaxed: only the word's own
/// updates are ordered).
static inline uint32_t dosecal_load_relaxed32(const uint32_t *word) {
    return __atomic_load_n(word, __ATOMIC_RELAXED);
}

/// Replaces `*word` with `desired` if it still holds `expected`, atomically (relaxed); whether it did.
static inline int dosecal_cas_relaxed32(uint32_t *word, uint32_t expected, uint32_t desired) {
    return __atomic_compare_exchange_n(word, &expected, desired, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
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


/// Classifies `blocks` consecutive 64-byte blocks from `bytes` (as dosecal_classify64 does one),
/// writing block k's masks to `commas[k]`, `others[k]` and `high[k]`: one call per buffer of
/// the scanner instead of one per block. Uses AVX2 when the CPU and the OS support it (checked
/// once), SSE2 otherwise.
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>

__attribute__((target("avx2")))
static void dosecal_classify_blocks_avx2(const uint8_t *bytes, long blocks, uint64_t *commas, uint64_t *others, uint64_t *high) {
    const __m256i comma = _mm256_set1_epi8(','), quote = _mm256_set1_epi8('"');
    const __m256i lineFeed = _mm256_set1_epi8('\n'), carriageReturn = _mm256_set1_epi8('\r');
    for (long k = 0; k < blocks; k++) {
        const uint8_t *b = bytes + 64 * k;
        const __m256i v0 = _mm256_loadu_si256((const __m256i *)b), v1 = _mm256_loadu_si256((const __m256i *)(b + 32));
        const __m256i s0 = _mm256_or_si256(_mm256_cmpeq_epi8(v0, quote),
                                           _mm256_or_si256(_mm256_cmpeq_epi8(v0, lineFeed), _mm256_cmpeq_epi8(v0, carriageReturn)));
        const __m256i s1 = _mm256_or_si256(_mm256_cmpeq_epi8(v1, quote),
                                           _mm256_or_si256(_mm256_cmpeq_epi8(v1, lineFeed), _mm256_cmpeq_epi8(v1, carriageReturn)));
        commas[k] = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v0, comma))
            | (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v1, comma)) << 32;
        others[k] = (uint64_t)(uint32_t)_mm256_movemask_epi8(s0) | (uint64_t)(uint32_t)_mm256_movemask_epi8(s1) << 32;
        high[k] = (uint64_t)(uint32_t)_mm256_movemask_epi8(v0) | (uint64_t)(uint32_t)_mm256_movemask_epi8(v1) << 32;
    }
}

/// Whether AVX2 may be used: the CPU has it and the OS saves the YMM registers.
static inline int dosecal_has_avx2(void) {
    static int known = -1;
    const int seen = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (seen >= 0) return seen;
    unsigned a = 0, b = 0, c = 0, d = 0;
    int yes = 0;
    if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE) && (c & bit_AVX)) {
        unsigned lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        (void)hi;
        if ((lo & 6) == 6 && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_AVX2)) yes = 1;
    }
    __atomic_store_n(&known, yes, __ATOMIC_RELAXED);
    return yes;
}
#endif

static inline void dosecal_classify_blocks(const uint8_t *bytes, long blocks, uint64_t *commas, uint64_t *others, uint64_t *high) {
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (dosecal_has_avx2()) {
        dosecal_classify_blocks_avx2(bytes, blocks, commas, others, high);
        return;
    }
#endif
    for (long k = 0; k < blocks; k++) dosecal_classify64(bytes + 64 * k, commas + k, others + k, high + k);
}

#endif
