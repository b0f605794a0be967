// The one compiler intrinsic the direct-file engine needs and Swift does not spell: a cache
// prefetch hint for the random probes of the join's key table (header only, nothing to link).
#ifndef DOSECAL_ENGINE_SHIMS_H
#define DOSECAL_ENGINE_SHIMS_H

/// Hints the CPU to bring the cache line holding `address` in for a write (no effect on results).
static inline void dosecal_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
