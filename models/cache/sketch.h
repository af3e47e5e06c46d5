/* sketch — the count-min sketch TinyLFU estimates frequencies with
 * (Einziger, Friedman & Manes 2017): SKETCH_ROWS rows of 4-bit counters,
 * each row the next power of two (at least 64) above 4x the objects it is
 * sized for, a key's counter in each row found by its own hash.
 *
 * An add increments the key's counter in every row, saturating at 15; the
 * estimate is the smallest of them (never below the true count since the
 * last reset, above it only where other keys share all four counters).
 * Ageing: after `sample` adds (ten times width/4, the objects it is sized
 * for rounded up: the paper's ten times the cache) every
 * counter is halved and the add count with it, so estimates follow a sliding
 * window of history. Static inline: tinylfu calls it on every request.
 * Invariant: every counter is at most 15; adds < sample between calls. */
#ifndef CDNSIM_SKETCH_H
#define CDNSIM_SKETCH_H

#include <stdint.h>
#include <stdlib.h>

#define SKETCH_ROWS 4

typedef struct sketch {
    uint64_t *words;        /* SKETCH_ROWS rows of width/16 words, 16 counters a word */
    uint64_t width;         /* counters a row, a power of two */
    uint64_t adds, sample;  /* halve every counter when adds reaches sample */
} sketch_t;

static inline uint64_t sketch_mix(uint64_t k)
{
    k ^= k >> 30; k *= 0xbf58476d1ce4e5b9ULL;
    k ^= k >> 27; k *= 0x94d049bb133111ebULL;
    return k ^ (k >> 31);
}

static inline int sketch_init(sketch_t *s, uint64_t objects)
{
    uint64_t w = 64;
    while (w < 4 * objects && w < (1ULL << 40)) w *= 2;
    uint64_t *words = calloc(SKETCH_ROWS * (w / 16), sizeof *words);
    if (!words) return -1;
    free(s->words);
    s->words = words;
    s->width = w;
    s->adds = 0;
    s->sample = 10 * (w / 4);   /* ten times the capacity, as in the paper */
    return 0;
}

static inline uint64_t sketch_counter_at(const sketch_t *s, int row, uint64_t key, uint64_t **word)
{
    uint64_t i = sketch_mix(key + 0x9e3779b97f4a7c15ULL * (uint64_t)(row + 1)) & (s->width - 1);
    *word = &s->words[(uint64_t)row * (s->width / 16) + i / 16];
    return (i % 16) * 4;   /* bit offset of the nibble */
}

static inline unsigned sketch_estimate(const sketch_t *s, uint64_t key)
{
    unsigned est = 15;
    for (int r = 0; r < SKETCH_ROWS; r++) {
        uint64_t *w;
        uint64_t sh = sketch_counter_at(s, r, key, &w);
        unsigned v = (unsigned)((*w >> sh) & 15);
        if (v < est) est = v;
    }
    return est;
}

static inline void sketch_add(sketch_t *s, uint64_t key)
{
    for (int r = 0; r < SKETCH_ROWS; r++) {
        uint64_t *w;
        uint64_t sh = sketch_counter_at(s, r, key, &w);
        if (((*w >> sh) & 15) < 15) *w += 1ULL << sh;
    }
    if (++s->adds >= s->sample) {
        for (uint64_t i = 0; i < SKETCH_ROWS * (s->width / 16); i++)
            s->words[i] = (s->words[i] >> 1) & 0x7777777777777777ULL;
        s->adds /= 2;
    }
}

static inline void sketch_free(sketch_t *s)
{
    free(s->words);
    s->words = NULL;
}

#endif
