/* check_cache_policies — every eviction policy against request sequences
 * worked by hand from the policy's definition (the reasoning beside each
 * expected pattern), plus invariants under random workloads (cache_check
 * after every step, counts and byte limits) and byte-capacity behaviour.
 *
 * A sequence is a string of one-letter keys; the pattern has H for a hit and
 * M for a miss (a miss inserts the object). Keys are their letters; sizes are
 * 1 unless a test gives a size per letter. Belady gets each request's next
 * access (1-based request number) computed from the sequence itself. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/cache/cache.h"
#include "models/cache/ghost.h"
#include "models/cache/sketch.h"
#include "sim/rng.h"
#include "tests/testutil.h"

static cache_t *make(const char *policy, uint64_t objs, uint64_t bytes, uint64_t seed)
{
    char err[256];
    cache_config_t cfg = { .policy = policy, .capacity_objects = objs, .capacity_bytes = bytes,
                           .seed = seed, .stream = "test.cache" };
    cache_t *c = cache_create(&cfg, err, sizeof err);
    ck_assert_msg(c != NULL, "%s: %s", policy, err);
    return c;
}

/* Runs seq on a cache of `objs` objects and compares the H/M pattern. */
static void pattern(const char *policy, uint64_t objs, const char *seq, const char *expect,
                    const uint32_t *sizes)
{
    size_t n = strlen(seq);
    ck_assert_uint_eq(n, strlen(expect));
    cache_t *c = make(policy, objs, 0, 1);
    char got[256];
    ck_assert(n < sizeof got);
    for (size_t i = 0; i < n; i++) {
        int64_t next = -1;
        for (size_t j = i + 1; j < n; j++)
            if (seq[j] == seq[i]) { next = (int64_t)j + 1; break; }
        unsigned char k = (unsigned char)seq[i];
        cache_req_t r = { .key = k, .size = sizes && sizes[k] ? sizes[k] : 1,
                          .now = (simtime_t)i, .next_access = next };
        cache_entry_t *e = cache_find(c, r.key);
        if (e) cache_touch(c, e, &r);
        else cache_put(c, &r, SIMTIME_MAX, 0);
        got[i] = e ? 'H' : 'M';
        ck_assert_msg(cache_check(c), "%s: check failed after request %zu", policy, i + 1);
        ck_assert(cache_objects(c) <= objs);
    }
    got[n] = '\0';
    ck_assert_msg(strcmp(got, expect) == 0, "%s on %s (capacity %llu): expected %s, got %s",
                  policy, seq, (unsigned long long)objs, expect, got);
    cache_destroy(c);
}

START_TEST(lru_sequences)
{
    /* C=3. a b c fill; a hits (order a c b); d evicts b (LRU); b evicts c;
     * e evicts a; a evicts d; b hits; c evicts e. */
    pattern("lru", 3, "abcadbeabc", "MMMHMMMMHM", NULL);
    /* the recency of the hit on a saves it: d evicts b, a hits, b evicts c,
     * e evicts d, a hits */
    pattern("lru", 3, "abcadabea", "MMMHMHMMH", NULL);
}
END_TEST

START_TEST(fifo_sequences)
{
    /* C=3. a b c fill; the hit on a changes nothing, so d evicts a (oldest);
     * a then misses and evicts b, b evicts c, e evicts d, a hits. */
    pattern("fifo", 3, "abcadabea", "MMMHMMMMH", NULL);
}
END_TEST

START_TEST(clock_sequences)
{
    /* C=3, hand at the oldest. a b c fill; a hit sets a's bit. d: the hand
     * clears a (second chance, a goes behind d's place) and evicts b; queue
     * c a d. b evicts c (bit clear). a hits (set again). e: the hand clears a,
     * evicts d; a is still in: hit. */
    pattern("clock", 3, "abcadbaea", "MMMHMMHMH", NULL);
    /* a's second chance is used once: after d evicts b and e evicts c, the
     * hand reaches a with its bit clear and f evicts it: a misses. */
    pattern("clock", 3, "abcadefa", "MMMHMMMM", NULL);
}
END_TEST

START_TEST(sieve_sequences)
{
    /* C=3, queue head c b a tail. a's hit sets visited. d: the hand at the
     * tail clears a and moves toward the head, evicts b; the hand stays at c.
     * e evicts c (hand then at d), f evicts d. a never moved and keeps its
     * place behind the hand: it hits, where CLOCK (above) missed. */
    pattern("sieve", 3, "abcadefa", "MMMHMMMH", NULL);
    /* C=2, the hand wraps: a b both visited; c: hand clears a, clears b,
     * passes the head, wraps to the tail a (now unvisited) and evicts it; the
     * hand is at b. a evicts b (unvisited). c hits. */
    pattern("sieve", 2, "ababcac", "MMHHMMH", NULL);
}
END_TEST

START_TEST(lfu_sequences)
{
    /* C=3. a b c each hit once: all at frequency 2. d: tie at 2, the least
     * recently used of them is a: evicted. Cache b2 c2 d1. a misses (its count
     * was lost with it) and evicts d (frequency 1). d misses, evicts a (1).
     * b hits. */
    pattern("lfu", 3, "abcabcdadb", "MMMHHHMMMH", NULL);
    /* a reaches 4; b, c, d, e, f each evict the previous one-timer (the least
     * frequent); a stays and hits. */
    pattern("lfu", 2, "aaaabcdefa", "MHHHMMMMMH", NULL);
}
END_TEST

START_TEST(lfuda_sequences)
{
    /* C=2, K = L + f. a reaches f=4, K=4. b (K=1); c evicts b: L=1, c K=2;
     * d evicts c: L=2, d K=3; e evicts d: L=3, e K=4. f: a and e tie at K=4,
     * a is older: evicted (dynamic aging retires the once-popular a, which
     * plain LFU keeps). a misses. */
    pattern("lfuda", 2, "aaaabcdefa", "MHHHMMMMMM", NULL);
}
END_TEST

START_TEST(gdsf_sequences)
{
    /* C=2 objects, a is 100 bytes, the rest 1. K = L + f/size. a a: K=0.02;
     * b: K=1. c: evicts a (0.02 < 1): L=0.02. a misses. Under LFUDA the same
     * sequence evicts b (K=1 < a's 2) and a hits: size is what differs. */
    uint32_t sizes[256] = { 0 };
    sizes['a'] = 100;
    pattern("gdsf", 2, "aabca", "MHMMM", sizes);
    pattern("lfuda", 2, "aabca", "MHMMH", sizes);
}
END_TEST

START_TEST(s3fifo_sequences)
{
    /* C=10: S's share is 1 object, M's 9, G remembers up to 9 keys.
     * 1-10: k..t fill S (nothing is evicted before the cache is full).
     * k hit once (freq 1), l hit twice (freq 2).
     * u: S holds >= 10%: from S's tail, k has freq 1, not more than once:
     *    evicted to G (a freq>=1 rule would have kept it).
     * v: S's tail l has freq 2 > 1: moves to M; then m (freq 0) goes to G.
     * k: miss, but in G: enters M directly; S's tail n goes to G.
     * l: hit (in M). m: miss, in G: enters M; o goes to G. k: hit (M). */
    pattern("s3fifo", 10, "klmnopqrst" "klluvklmk", "MMMMMMMMMM" "HHHMMMHMH", NULL);
}
END_TEST

START_TEST(arc_sequences)
{
    /* C=2, p=0. a; a hits: T2=[a]. b: T1=[b]. c: full, |T1|=1 > p=0: REPLACE
     * moves b to B1; T1=[c]. a hits (ARC kept the reused a; LRU would have
     * evicted it for c). b: in B1: p=1; |T1|=1 is not > p: T2's LRU a goes to
     * B2; b enters T2. c hits (T1 -> T2). a: in B2: p=0; T1 is empty: T2's
     * LRU b goes to B2; a enters T2. c hits. */
    pattern("arc", 2, "aabcabcac", "MHMMHMHMH", NULL);
    pattern("lru", 2, "aabcabcac", "MHMMMMMMH", NULL);
}
END_TEST

START_TEST(twoq_sequences)
{
    /* C=4: Kin=1, Kout=2. a b c d fill A1in. e: A1in (4) > Kin: its tail a
     * leaves, key to A1out. a: in A1out -> Am; A1in's tail b leaves to A1out.
     * b: likewise -> Am; c leaves. a hits (Am). f: new -> A1in; d leaves
     * (A1out = d c). a hits. g: e leaves; A1out = e d c exceeds Kout: c is
     * forgotten. c: misses and, forgotten, enters A1in; f leaves. g hits in
     * A1in (no change: correlated reference). h: A1in's tail is g (FIFO, the
     * hit did not save it): g leaves to A1out. g: in A1out -> Am (c leaves).
     * b hits (Am). */
    pattern("twoq", 4, "abcdeabafagcghgb", "MMMMMMMHMHMMHMMH", NULL);
}
END_TEST

START_TEST(belady_sequences)
{
    /* C=2. At c: next uses a@4, b@6, c@5: b is farthest: evicted. a, c hit. */
    pattern("belady", 2, "abcacb", "MMMHHM", NULL);
    /* At c: a@5, b@4, c@6: the newcomer is farthest: not admitted (bypass).
     * b and a hit; at the last c nothing is needed again: bypass. */
    pattern("belady", 2, "abcbac", "MMMHHM", NULL);
}
END_TEST

START_TEST(belady_bytes_decides_before_evicting)
{
    /* 10 bytes. x (2 B, next 30) and y (8 B, next 5) fill it. z (6 B, next
     * 10) needs 6 bytes: the farthest, x, frees only 2, and the next victim
     * would be y, needed at 5, before z: refused, and x stays (it used to
     * be evicted first and then z refused, losing x for nothing). */
    cache_t *c = make("belady", 0, 10, 1);
    cache_req_t x = { .key = 1, .size = 2, .next_access = 30 }, y = { .key = 2, .size = 8, .next_access = 5 };
    cache_req_t z = { .key = 3, .size = 6, .next_access = 10 }, d = { .key = 4, .size = 4, .next_access = 3 };
    ck_assert_ptr_nonnull(cache_put(c, &x, SIMTIME_MAX, 0));
    ck_assert_ptr_nonnull(cache_put(c, &y, SIMTIME_MAX, 0));
    ck_assert_ptr_null(cache_put(c, &z, SIMTIME_MAX, 0));
    ck_assert_ptr_nonnull(cache_find(c, 1));
    ck_assert_ptr_nonnull(cache_find(c, 2));
    ck_assert_uint_eq(cache_evictions(c), 0);
    ck_assert_uint_eq(cache_bytes(c), 10);
    /* d (4 B, next 3) is needed before both: x then y go (x alone frees 2) */
    ck_assert_ptr_nonnull(cache_put(c, &d, SIMTIME_MAX, 0));
    ck_assert_ptr_null(cache_find(c, 1));
    ck_assert_ptr_null(cache_find(c, 2));
    ck_assert_uint_eq(cache_evictions(c), 2);
    ck_assert_uint_eq(cache_bytes(c), 4);
    ck_assert(cache_check(c));
    cache_destroy(c);

    /* The victims are taken farthest first across the whole heap, not in
     * heap-array order: a (1 B, next 50), b (4 B, next 40), e (1 B, next 60),
     * f (4 B, next 2) fill 10 bytes. g (5 B, next 20) needs 5: e (60), a
     * (50), then b (40) frees the rest: all farther than 20, admitted; f
     * stays. */
    c = make("belady", 0, 10, 1);
    cache_req_t r[5] = { { .key = 'a', .size = 1, .next_access = 50 }, { .key = 'b', .size = 4, .next_access = 40 },
                         { .key = 'e', .size = 1, .next_access = 60 }, { .key = 'f', .size = 4, .next_access = 2 },
                         { .key = 'g', .size = 5, .next_access = 20 } };
    for (int i = 0; i < 5; i++) ck_assert_ptr_nonnull(cache_put(c, &r[i], SIMTIME_MAX, 0));
    ck_assert_uint_eq(cache_evictions(c), 3);
    ck_assert_ptr_nonnull(cache_find(c, 'f'));
    ck_assert_ptr_nonnull(cache_find(c, 'g'));
    ck_assert_uint_eq(cache_objects(c), 2);
    cache_destroy(c);
}
END_TEST

/* The sketch on its own: sizing, saturation, ageing, all exact. */
static uint64_t nibble_sum(const sketch_t *s, unsigned *max)
{
    uint64_t sum = 0;
    *max = 0;
    for (uint64_t i = 0; i < SKETCH_ROWS * (s->width / 16); i++)
        for (int k = 0; k < 16; k++) {
            unsigned v = (unsigned)((s->words[i] >> (4 * k)) & 15);
            sum += v;
            if (v > *max) *max = v;
        }
    return sum;
}

START_TEST(tinylfu_sketch_saturates_and_ages)
{
    sketch_t s = { 0 };
    /* 16 objects: rows of 64 counters (4x, at least 64), halving after
     * 10 x 16 = 160 adds */
    ck_assert_int_eq(sketch_init(&s, 16), 0);
    ck_assert_uint_eq(s.width, 64);
    ck_assert_uint_eq(s.sample, 160);
    /* Saturation: 20 adds of one key leave its four counters at 15, not at
     * 20 mod 16 = 4, and carry nothing into a neighbouring counter. */
    for (int i = 0; i < 20; i++) sketch_add(&s, 1);
    ck_assert_uint_eq(sketch_estimate(&s, 1), 15);
    unsigned max;
    ck_assert_uint_eq(nibble_sum(&s, &max), 4 * 15);
    ck_assert_uint_eq(max, 15);

    /* Ageing. Fresh: A 9 times, then 150 other keys: 159 adds, no halving
     * yet (every increment is still there: 4 a add, none saturated). */
    ck_assert_int_eq(sketch_init(&s, 16), 0);
    for (int i = 0; i < 9; i++) sketch_add(&s, 7);
    ck_assert_uint_eq(sketch_estimate(&s, 7), 9);
    for (uint64_t k = 1000; k < 1150; k++) sketch_add(&s, k);
    ck_assert_uint_eq(s.adds, 159);
    ck_assert_uint_eq(nibble_sum(&s, &max), 4 * 159);
    ck_assert_uint_lt(max, 15);
    /* The 160th add (A again): A's counters go up by one, then every
     * counter is halved (rounding down) and the add count too. Worked on a
     * copy: A's estimate e becomes (e + 1) / 2. */
    unsigned e = sketch_estimate(&s, 7);
    uint64_t copy[SKETCH_ROWS * 4];
    ck_assert_uint_eq(SKETCH_ROWS * (s.width / 16), SKETCH_ROWS * 4);
    memcpy(copy, s.words, sizeof copy);
    sketch_t shadow = s;
    shadow.words = copy;
    shadow.sample = UINT64_MAX;          /* the add alone, no halving */
    sketch_add(&shadow, 7);
    sketch_add(&s, 7);
    ck_assert_uint_eq(s.adds, 80);
    for (size_t i = 0; i < sizeof copy / sizeof copy[0]; i++)
        for (int k = 0; k < 16; k++)
            ck_assert_uint_eq((s.words[i] >> (4 * k)) & 15, ((copy[i] >> (4 * k)) & 15) / 2);
    ck_assert_uint_eq(sketch_estimate(&s, 7), (e + 1) / 2);
    /* the next halving comes after another 80 adds: B 79 times saturates
     * (15), the 80th halves it to 7 */
    for (int i = 0; i < 79; i++) sketch_add(&s, 99);
    ck_assert_uint_eq(s.adds, 159);
    ck_assert_uint_eq(sketch_estimate(&s, 99), 15);
    sketch_add(&s, 99);
    ck_assert_uint_eq(s.adds, 80);
    ck_assert_uint_eq(sketch_estimate(&s, 99), 7);
    sketch_free(&s);
}
END_TEST

START_TEST(random_sequences)
{
    /* no eviction: no randomness */
    pattern("random", 2, "abab", "MMHH", NULL);
    /* reproducible from the named stream; another stream, another sequence */
    for (int round = 0; round < 2; round++) {
        cache_t *a = make("random", 5, 0, 7), *b = make("random", 5, 0, round ? 8 : 7);
        int same = 1;
        srand(3);
        for (int i = 0; i < 2000; i++) {
            cache_req_t r = { .key = (uint64_t)(rand() % 20), .size = 1, .next_access = -1 };
            bool ha = cache_find(a, r.key) != NULL, hb = cache_find(b, r.key) != NULL;
            if (!ha) cache_put(a, &r, SIMTIME_MAX, 0);
            if (!hb) cache_put(b, &r, SIMTIME_MAX, 0);
            same &= ha == hb;
        }
        ck_assert_int_eq(same, round == 0);
        cache_destroy(a);
        cache_destroy(b);
    }
    /* uniform: with {x, y} cached, a newcomer evicts each half the time */
    cache_t *c = make("random", 2, 0, 11);
    int kept_x = 0, trials = 20000;
    for (int t = 0; t < trials; t++) {
        cache_req_t x = { .key = 1, .size = 1 }, y = { .key = 2, .size = 1 },
                    z = { .key = 3, .size = 1 };
        cache_remove(c, 3);
        if (!cache_find(c, 1)) cache_put(c, &x, SIMTIME_MAX, 0);
        if (!cache_find(c, 2)) cache_put(c, &y, SIMTIME_MAX, 0);
        cache_put(c, &z, SIMTIME_MAX, 0);
        kept_x += cache_find(c, 1) != NULL;
    }
    /* binomial(20000, 1/2): sd 71; 5 sd */
    ck_assert_int_gt(kept_x, trials / 2 - 355);
    ck_assert_int_lt(kept_x, trials / 2 + 355);
    cache_destroy(c);
}
END_TEST

/* RANDOM's victim is the one gsl_rng_uniform_int gives from the cache's
 * stream, over the cached objects in the order the policy keeps them
 * (insertion order, the last filling an evicted one's place): a reference
 * run beside the cache, with its own generator on the same stream. The
 * policy draws its outputs ahead and divides by a reciprocal; a prefetch
 * that leaked into the draw, a reciprocal off by one or a draw over a
 * stale population would pick another victim. Counting objects (small and
 * large populations) and bytes (a population that changes between
 * evictions). */
START_TEST(random_victims_are_gsl_uniform_int)
{
    static const struct { uint64_t objs, bytes, keys; int reqs; } runs[] = {
        { 37, 0, 300, 20000 }, { 5000, 0, 40000, 60000 }, { 0, 20000, 300, 20000 },
    };
    for (size_t ri = 0; ri < sizeof runs / sizeof runs[0]; ri++) {
        cache_t *c = make("random", runs[ri].objs, runs[ri].bytes, 5);
        gsl_rng *ref = rng_stream_create(5, "test.cache");
        uint64_t *held = malloc(runs[ri].keys * sizeof *held);
        ck_assert(ref && held);
        uint64_t n = 0, bytes = 0, evictions = 0;
        srand(41 + (unsigned)ri);
        for (int i = 0; i < runs[ri].reqs; i++) {
            uint64_t key = (uint64_t)(rand() % (int)runs[ri].keys);
            cache_req_t r = { .key = key, .size = runs[ri].bytes ? 1 + (uint32_t)(key * 37 % 1500) : 1,
                              .next_access = -1 };
            cache_entry_t *e = cache_find(c, key);
            if (e) { cache_touch(c, e, &r); continue; }
            uint64_t gone[64];
            int ngone = 0;
            while (n > 0 && (runs[ri].objs ? n + 1 > runs[ri].objs : bytes + r.size > runs[ri].bytes)) {
                uint64_t pos = gsl_rng_uniform_int(ref, n);
                bytes -= runs[ri].bytes ? 1 + held[pos] * 37 % 1500 : 1;
                ck_assert(ngone < 64);
                gone[ngone++] = held[pos];
                held[pos] = held[--n];
                evictions++;
            }
            held[n++] = key;
            bytes += r.size;
            ck_assert(cache_put(c, &r, SIMTIME_MAX, 0) != NULL);
            /* as many evicted, and the reference's victims gone: the same
             * victims (both evicted from the same objects) */
            ck_assert_uint_eq(cache_objects(c), n);
            ck_assert_uint_eq(cache_evictions(c), evictions);
            for (int j = 0; j < ngone; j++)
                ck_assert_msg(cache_find(c, gone[j]) == NULL, "run %zu, request %d: the reference "
                              "evicted key %llu, the cache kept it", ri, i + 1,
                              (unsigned long long)gone[j]);
        }
        ck_assert_uint_gt(evictions, (uint64_t)runs[ri].reqs / 10);
        free(held);
        gsl_rng_free(ref);
        cache_destroy(c);
    }
}
END_TEST

START_TEST(tinylfu_scan_resistance)
{
    /* C=100: window 1, main 99 (protected 79). 1..100 fill (window overflow
     * moves to probation while main has room); all are requested again: hits,
     * each now counted twice. A scan of 50 new keys: each newcomer's window
     * predecessor (count 1) loses its duel to main's victim (count 2, ties
     * keep the incumbent), and the first newcomer's predecessor, 100, ties
     * and loses too. So 1..99 all hit afterwards, where LRU would have lost
     * half of them. */
    cache_t *c = make("tinylfu", 100, 0, 1);
    int hits = 0;
    for (int pass = 0; pass < 2; pass++)
        for (uint64_t k = 1; k <= 100; k++) {
            cache_req_t r = { .key = k, .size = 1 };
            cache_entry_t *e = cache_find(c, k);
            if (e) { hits++; cache_touch(c, e, &r); }
            else cache_put(c, &r, SIMTIME_MAX, 0);
        }
    ck_assert_int_eq(hits, 100);
    for (uint64_t k = 1001; k <= 1050; k++) {
        cache_req_t r = { .key = k, .size = 1 };
        ck_assert(cache_find(c, k) == NULL);
        cache_put(c, &r, SIMTIME_MAX, 0);
        ck_assert(cache_check(c));
    }
    for (uint64_t k = 1; k <= 99; k++) ck_assert_msg(cache_find(c, k) != NULL, "lost %llu", (unsigned long long)k);
    ck_assert(cache_find(c, 100) == NULL);
    ck_assert(cache_find(c, 1050) != NULL);   /* the last newcomer sits in the window */
    ck_assert(cache_find(c, 1001) == NULL);
    ck_assert_uint_eq(cache_objects(c), 100);
    cache_destroy(c);
}
END_TEST

/* Random workload with removals, both capacity kinds: cache_check after
 * every step and the limits themselves. */
START_TEST(invariants_random_workloads)
{
    const char *const *names = cache_policy_names();
    for (int i = 0; names[i]; i++) {
        for (int bytes = 0; bytes < 2; bytes++) {
            cache_t *c = make(names[i], bytes ? 0 : 50, bytes ? 20000 : 0, 5);
            srand(42);
            for (int k = 0; k < 20000; k++) {
                uint64_t key = (uint64_t)(rand() % 400);
                if (rand() % 3 == 0) key %= 40;
                cache_req_t r = { .key = key, .size = (uint32_t)(1 + key * 37 % 1500),
                                  .now = k, .next_access = rand() % 2 ? k + 1 + rand() % 500 : -1 };
                cache_entry_t *e = cache_find(c, key);
                if (e) cache_touch(c, e, &r);
                else cache_put(c, &r, SIMTIME_MAX, 0);
                if (k % 97 == 0) cache_remove(c, (uint64_t)(rand() % 400));
                if (k % 50 == 0 || k < 300)
                    ck_assert_msg(cache_check(c), "%s (%s): check failed at %d", names[i],
                                  bytes ? "bytes" : "objects", k);
                if (bytes) ck_assert_uint_le(cache_bytes(c), 20000);
                else ck_assert_uint_le(cache_objects(c), 50);
            }
            ck_assert(cache_check(c));
            ck_assert_msg(cache_objects(c) > 0, "%s: empty after the run", names[i]);
            ck_assert_msg(cache_memory(c) > 0, "%s", names[i]);
            cache_destroy(c);
        }
    }
}
END_TEST

/* A byte-limited cache grows its slab, index and the policies' per-slot
 * arrays as it fills: through several growth steps, all stays consistent. */
START_TEST(growth)
{
    const char *const *names = cache_policy_names();
    for (int i = 0; names[i]; i++) {
        /* ~30000 objects: the slab goes past its first 16384-slot chunk */
        cache_t *c = make(names[i], 0, 12000000, 3);
        srand(8);
        for (int k = 0; k < 100000; k++) {
            uint64_t key = (uint64_t)(rand() % 60000);
            cache_req_t r = { .key = key, .size = (uint32_t)(1 + key * 13 % 800), .now = k,
                              .next_access = k + 1 + rand() % 20000 };
            cache_entry_t *e = cache_find(c, key);
            /* now and then another lookup comes between find and touch, so
             * touch must find e's slot itself (in whichever chunk) */
            if (e && k % 7 == 0) cache_find(c, key + 1);
            if (e) cache_touch(c, e, &r);
            else cache_put(c, &r, SIMTIME_MAX, 0);
            if (k % 20000 == 0) ck_assert_msg(cache_check(c), "%s at %d", names[i], k);
        }
        ck_assert_msg(cache_check(c), "%s", names[i]);
        ck_assert_msg(cache_objects(c) > 20000, "%s holds %llu", names[i],
                      (unsigned long long)cache_objects(c));
        cache_destroy(c);
    }
}
END_TEST

/* The memory budget: at most 64 bytes per cached object (slab, index and
 * every policy structure, ghosts included) once a count-limited cache is
 * full and has churned, as issue 3 requires. */
START_TEST(memory_budget)
{
    const char *const *names = cache_policy_names();
    enum { CAP = 20000 };
    for (int i = 0; names[i]; i++) {
        cache_t *c = make(names[i], CAP, 0, 1);
        srand(21);
        for (int k = 0; k < 200000; k++) {
            /* skewed over 10^6 keys: popular ones return, most do not */
            uint64_t key = (uint64_t)(rand() % 1000000);
            if (rand() % 2) key %= 30000;
            cache_req_t r = { .key = key, .size = 100, .now = k, .next_access = k + 1 + rand() % 100000 };
            cache_entry_t *e = cache_find(c, key);
            if (e) cache_touch(c, e, &r);
            else cache_put(c, &r, SIMTIME_MAX, 0);
        }
        ck_assert_uint_eq(cache_objects(c), CAP);
        double per = (double)cache_memory(c) / CAP;
        ck_assert_msg(per <= 64, "%s: %.1f bytes per cached object", names[i], per);
        cache_destroy(c);
    }
}
END_TEST

/* A capacity far beyond what is ever cached costs nothing up front: every
 * policy's memory follows what it holds. ARC's, S3-FIFO's and 2Q's ghosts
 * were once sized for the capacity (10^9 keys: 19 GB for ARC, a 7 GB index
 * written at creation), and TinyLFU's sketch too (2 GB), so a world of such
 * caches ran out of memory. With 1000 objects held, a ghost reserves at most
 * GHOST_RESERVE_MAX keys (about 17 MB), a sketch 2^17 objects' worth (1 MB). */
START_TEST(huge_object_capacity_reserves_little)
{
    const char *const *names = cache_policy_names();
    for (int i = 0; names[i]; i++) {
        cache_t *c = make(names[i], 1000000000, 0, 1);
        for (int k = 0; k < 3000; k++) {
            uint64_t key = (uint64_t)(k % 1000);
            cache_req_t r = { .key = key, .size = 100, .now = k, .next_access = k + 1000 };
            cache_entry_t *e = cache_find(c, key);
            if (e) cache_touch(c, e, &r);
            else cache_put(c, &r, SIMTIME_MAX, 0);
        }
        ck_assert_uint_eq(cache_objects(c), 1000);
        ck_assert_msg(cache_memory(c) < (size_t)32 << 20, "%s: %zu bytes for 1000 objects",
                      names[i], cache_memory(c));
        cache_destroy(c);
    }
}
END_TEST

START_TEST(byte_capacity)
{
    const char *const *names = cache_policy_names();
    for (int i = 0; names[i]; i++) {
        cache_t *c = make(names[i], 0, 1000, 1);
        /* larger than the whole cache: never admitted, nothing evicted */
        cache_req_t small = { .key = 1, .size = 300, .next_access = 3 };
        ck_assert(cache_put(c, &small, SIMTIME_MAX, 0) != NULL);
        cache_req_t big = { .key = 2, .size = 1001, .next_access = 2 };
        ck_assert_msg(cache_put(c, &big, SIMTIME_MAX, 0) == NULL, "%s admitted 1001 B", names[i]);
        ck_assert_uint_eq(cache_objects(c), 1);
        ck_assert(cache_find(c, 1) != NULL);
        /* exactly the capacity fits (evicting what it must) */
        cache_req_t whole = { .key = 3, .size = 1000, .next_access = 1 };
        if (strcmp(names[i], "belady") != 0) {
            ck_assert_msg(cache_put(c, &whole, SIMTIME_MAX, 0) != NULL, "%s", names[i]);
            ck_assert_uint_eq(cache_bytes(c), 1000);
            ck_assert_uint_eq(cache_objects(c), 1);
        }
        /* sizes count: three 400-byte objects do not fit together */
        for (uint64_t k = 10; k < 13; k++) {
            cache_req_t r = { .key = k, .size = 400, .next_access = (int64_t)k };
            cache_put(c, &r, SIMTIME_MAX, 0);
            ck_assert_uint_le(cache_bytes(c), 1000);
        }
        ck_assert(cache_check(c));
        ck_assert_uint_le(cache_objects(c), 2);
        cache_destroy(c);
    }
}
END_TEST

START_TEST(replace_and_remove)
{
    const char *const *names = cache_policy_names();
    for (int i = 0; names[i]; i++) {
        cache_t *c = make(names[i], 4, 0, 1);
        cache_req_t r = { .key = 9, .size = 10, .next_access = 5 };
        ck_assert(cache_put(c, &r, 100, 7) != NULL);
        r.size = 20;
        cache_entry_t *e = cache_put(c, &r, 200, 8);   /* a refetch replaces */
        ck_assert(e != NULL);
        ck_assert_uint_eq(cache_objects(c), 1);
        e = cache_find(c, 9);
        ck_assert_uint_eq(e->size, 20);
        ck_assert_int_eq(e->expires, 200);
        ck_assert_uint_eq(e->tag, 8);
        ck_assert(cache_remove(c, 9));
        ck_assert(!cache_remove(c, 9));
        ck_assert_uint_eq(cache_objects(c), 0);
        ck_assert_uint_eq(cache_bytes(c), 0);
        ck_assert(cache_check(c));
        /* refilling after everything was removed works */
        for (uint64_t k = 0; k < 10; k++) {
            cache_req_t q = { .key = k, .size = 1, .next_access = (int64_t)k + 20 };
            cache_put(c, &q, SIMTIME_MAX, 0);
        }
        ck_assert_uint_eq(cache_objects(c), 4);
        ck_assert(cache_check(c));
        cache_destroy(c);
    }
}
END_TEST

START_TEST(unknown_policy)
{
    char err[256];
    cache_config_t cfg = { .policy = "lru2", .capacity_objects = 1 };
    ck_assert(cache_create(&cfg, err, sizeof err) == NULL);
    ck_assert(strstr(err, "lru2") != NULL);
}
END_TEST

/* The ghost ring against a naive model: two FIFO lists of keys, removals
 * from anywhere, through compactions (bounded use) and growth (unbounded). */
START_TEST(ghost_ring)
{
    for (int bounded = 0; bounded < 2; bounded++) {
        ghost_t g;
        ck_assert_int_eq(ghost_init(&g, !bounded, bounded ? 100 : 0), 0);
        enum { KEYS = 500 };
        int where[KEYS];      /* list of each key, -1 absent */
        uint64_t order[KEYS]; /* push sequence of each key */
        for (int k = 0; k < KEYS; k++) where[k] = -1;
        uint64_t seq = 0;
        srand(17);
        for (int step = 0; step < 40000; step++) {
            int op = rand() % 4, k = rand() % KEYS;
            if (op < 2) {
                int l = rand() % 2;
                ck_assert_int_eq(ghost_push(&g, l, (uint64_t)k, 1 + (uint64_t)k % 7), 0);
                where[k] = l;
                order[k] = seq++;
            } else if (op == 2) {
                uint32_t pos = ghost_find(&g, (uint64_t)k);
                ck_assert_int_eq(pos != GHOST_NONE, where[k] >= 0);
                if (pos != GHOST_NONE) {
                    ck_assert_int_eq(ghost_list_of(&g, pos), where[k]);
                    ghost_remove(&g, pos);
                    where[k] = -1;
                }
            } else {
                int l = rand() % 2, oldest = -1;
                for (int j = 0; j < KEYS; j++)
                    if (where[j] == l && (oldest < 0 || order[j] < order[oldest])) oldest = j;
                ck_assert_int_eq(ghost_pop_tail(&g, l), oldest >= 0);
                if (oldest >= 0) {
                    ck_assert(ghost_find(&g, (uint64_t)oldest) == GHOST_NONE);
                    where[oldest] = -1;
                }
            }
            /* the bounded owner trims to 100 keys, as the policies do */
            while (bounded && g.count > 100) {
                int l = g.lists[0].len ? 0 : 1, oldest = -1;
                for (int j = 0; j < KEYS; j++)
                    if (where[j] == l && (oldest < 0 || order[j] < order[oldest])) oldest = j;
                ck_assert(ghost_pop_tail(&g, l));
                where[oldest] = -1;
            }
            if (!bounded && step == 1000) ck_assert_int_eq(ghost_reserve(&g, 700), 0);
            if (step % 100 == 0) ck_assert(ghost_check(&g));
        }
        uint64_t n = 0, w = 0;
        for (int k = 0; k < KEYS; k++)
            if (where[k] >= 0) n++, w += bounded ? 1 : 1 + (uint64_t)k % 7;
        ck_assert_uint_eq(g.count, n);
        ck_assert_uint_eq(g.lists[0].weight + g.lists[1].weight, w);
        if (bounded) ck_assert_uint_le(g.ring, 100 + 25 + 64); /* never grew */
        ghost_free(&g);
    }
}
END_TEST


/* --- reference models ----------------------------------------------------
 * Deliberately naive re-statements of each policy over small arrays (index 0
 * the oldest end), written from the definitions again, not from the policy
 * files. Random request streams must give the very same hit/miss pattern. */

#define RMAX 64

typedef struct rq { int key[RMAX], aux[RMAX], n; } rq_t;

static int rq_find(const rq_t *q, int key)
{
    for (int i = 0; i < q->n; i++)
        if (q->key[i] == key) return i;
    return -1;
}

static void rq_del(rq_t *q, int i)
{
    memmove(q->key + i, q->key + i + 1, (size_t)(q->n - i - 1) * sizeof(int));
    memmove(q->aux + i, q->aux + i + 1, (size_t)(q->n - i - 1) * sizeof(int));
    q->n--;
}

static void rq_push(rq_t *q, int key, int aux)   /* at the newest end */
{
    q->key[q->n] = key;
    q->aux[q->n++] = aux;
}

typedef struct ref {
    const char *policy;
    int cap;
    rq_t a, b, g, g2;      /* the policy's queues */
    int hand;              /* sieve: index of the hand, -1 at the tail */
    double p;              /* arc */
    int clock;             /* lfu: request counter */
    sketch_t sk;           /* tinylfu: the frequency sketch (sketch.h, tested on its own) */
} ref_t;

/* One request; true on a hit. seq/next give belady its future. */
static bool ref_step(ref_t *m, int key, const int *seq, int at, int len)
{
    const char *p = m->policy;
    int c = m->cap, i;
    m->clock++;
    if (!strcmp(p, "lru") || !strcmp(p, "fifo")) {
        if ((i = rq_find(&m->a, key)) >= 0) {
            if (p[0] == 'l') { rq_del(&m->a, i); rq_push(&m->a, key, 0); }
            return true;
        }
        if (m->a.n == c) rq_del(&m->a, 0);
        rq_push(&m->a, key, 0);
        return false;
    }
    if (!strcmp(p, "clock")) {
        if ((i = rq_find(&m->a, key)) >= 0) { m->a.aux[i] = 1; return true; }
        while (m->a.n == c) {
            if (m->a.aux[0]) { int k = m->a.key[0]; rq_del(&m->a, 0); rq_push(&m->a, k, 0); }
            else rq_del(&m->a, 0);
        }
        rq_push(&m->a, key, 0);
        return false;
    }
    if (!strcmp(p, "sieve")) {
        if ((i = rq_find(&m->a, key)) >= 0) { m->a.aux[i] = 1; return true; }
        if (m->a.n == c) {
            int h = m->hand < 0 ? 0 : m->hand;
            while (m->a.aux[h]) { m->a.aux[h] = 0; h = h + 1 == m->a.n ? 0 : h + 1; }
            rq_del(&m->a, h);                    /* the next toward the head is now at h */
            m->hand = h < m->a.n ? h : -1;
        }
        rq_push(&m->a, key, 0);
        return false;
    }
    if (!strcmp(p, "lfu")) {
        /* aux: frequency * 2^20 + time of last request */
        if ((i = rq_find(&m->a, key)) >= 0) {
            m->a.aux[i] = ((m->a.aux[i] >> 20) + 1) * (1 << 20) + m->clock;
            return true;
        }
        if (m->a.n == c) {
            int v = 0;
            for (i = 1; i < m->a.n; i++) if (m->a.aux[i] < m->a.aux[v]) v = i;
            rq_del(&m->a, v);
        }
        rq_push(&m->a, key, (1 << 20) + m->clock);
        return false;
    }
    if (!strcmp(p, "belady")) {
        if (rq_find(&m->a, key) >= 0) return true;
        if (m->a.n == c) {
            /* next use of each candidate, len+1 for never */
            int far = -1, farnext = -1;
            for (i = 0; i < m->a.n; i++) {
                int nx = len + 1;
                for (int j = at + 1; j < len; j++) if (seq[j] == m->a.key[i]) { nx = j; break; }
                if (nx > farnext) { farnext = nx; far = i; }
            }
            int mine = len + 1;
            for (int j = at + 1; j < len; j++) if (seq[j] == key) { mine = j; break; }
            if (mine >= farnext) return false;   /* bypass */
            rq_del(&m->a, far);
        }
        rq_push(&m->a, key, 0);
        return false;
    }
    if (!strcmp(p, "twoq")) {
        /* a: A1in, b: Am, g: A1out; Kin = c/4, Kout = c/2 */
        if (rq_find(&m->a, key) >= 0) return true;
        if ((i = rq_find(&m->b, key)) >= 0) { rq_del(&m->b, i); rq_push(&m->b, key, 0); return true; }
        int gi = rq_find(&m->g, key);
        if (gi >= 0) rq_del(&m->g, gi);
        if (m->a.n + m->b.n == c) {
            if (m->a.n > 0 && (m->a.n * 4 > c || m->b.n == 0)) {
                rq_push(&m->g, m->a.key[0], 0);
                rq_del(&m->a, 0);
                while (m->g.n * 2 > c) rq_del(&m->g, 0);
            } else {
                rq_del(&m->b, 0);
            }
        }
        if (gi >= 0) rq_push(&m->b, key, 0);
        else rq_push(&m->a, key, 0);
        return false;
    }
    if (!strcmp(p, "arc")) {
        /* a: T1, b: T2, g: B1, g2: B2 (all LRU: index 0 the LRU end) */
        if ((i = rq_find(&m->a, key)) >= 0) { rq_del(&m->a, i); rq_push(&m->b, key, 0); return true; }
        if ((i = rq_find(&m->b, key)) >= 0) { rq_del(&m->b, i); rq_push(&m->b, key, 0); return true; }
        int in_b1 = rq_find(&m->g, key), in_b2 = rq_find(&m->g2, key);
        bool replace = m->a.n + m->b.n == c, x_in_b2 = false, forget_t1 = false;
        if (in_b1 >= 0) {
            double d = m->g.n >= m->g2.n ? 1 : (double)m->g2.n / m->g.n;
            m->p = m->p + d < c ? m->p + d : c;
            rq_del(&m->g, in_b1);
        } else if (in_b2 >= 0) {
            double d = m->g2.n >= m->g.n ? 1 : (double)m->g.n / m->g2.n;
            m->p = m->p - d > 0 ? m->p - d : 0;
            rq_del(&m->g2, in_b2);
            x_in_b2 = true;
        } else if (m->a.n + m->g.n == c) {
            if (m->a.n < c) rq_del(&m->g, 0);
            else forget_t1 = true;
        } else if (m->a.n + m->b.n + m->g.n + m->g2.n >= c) {
            if (m->a.n + m->b.n + m->g.n + m->g2.n == 2 * c) rq_del(&m->g2, 0);
        }
        if (replace) {
            if (forget_t1) {
                rq_del(&m->a, 0);
            } else if (m->a.n > 0 && ((x_in_b2 && m->a.n == m->p) || m->a.n > m->p || m->b.n == 0)) {
                rq_push(&m->g, m->a.key[0], 0);
                rq_del(&m->a, 0);
            } else {
                rq_push(&m->g2, m->b.key[0], 0);
                rq_del(&m->b, 0);
            }
        }
        if (in_b1 >= 0 || in_b2 >= 0) rq_push(&m->b, key, 0);
        else rq_push(&m->a, key, 0);
        return false;
    }
    if (!strcmp(p, "lfuda") || !strcmp(p, "gdsf")) {
        /* K = L + f (lfuda) or L + f / size (gdsf); sizes are 1 + key % 5 here.
         * aux: f; the priorities and last-request times in prio[] and when[] */
        static double prio[RMAX];
        static int when[RMAX];
        double size = p[0] == 'g' ? 1 + key % 5 : 1;
        if ((i = rq_find(&m->a, key)) >= 0) {
            m->a.aux[i]++;
            prio[i] = m->p + m->a.aux[i] / size;
            when[i] = m->clock;
            return true;
        }
        if (m->a.n == c) {
            int v = 0;
            for (i = 1; i < m->a.n; i++)
                if (prio[i] < prio[v] || (prio[i] == prio[v] && when[i] < when[v])) v = i;
            m->p = prio[v];   /* L */
            memmove(prio + v, prio + v + 1, (size_t)(m->a.n - v - 1) * sizeof *prio);
            memmove(when + v, when + v + 1, (size_t)(m->a.n - v - 1) * sizeof *when);
            rq_del(&m->a, v);
        }
        prio[m->a.n] = m->p + 1 / size;
        when[m->a.n] = m->clock;
        rq_push(&m->a, key, 1);
        return false;
    }
    if (!strcmp(p, "tinylfu")) {
        /* W-TinyLFU from the paper's description: a: the window LRU, b:
         * probation, g: protected (index 0 the LRU end). Window 1% of the
         * capacity (at least 1), main the rest, protected 80% of main. Every
         * request is counted in the sketch first. */
        if (!m->sk.words) ck_assert_int_eq(sketch_init(&m->sk, (uint64_t)c), 0);
        int win = c / 100 ? c / 100 : 1, main_cap = c > win ? c - win : 0, prot = main_cap * 8 / 10;
        sketch_add(&m->sk, (uint64_t)key);
        if ((i = rq_find(&m->a, key)) >= 0) { rq_del(&m->a, i); rq_push(&m->a, key, 0); return true; }
        if ((i = rq_find(&m->g, key)) >= 0) { rq_del(&m->g, i); rq_push(&m->g, key, 0); return true; }
        if ((i = rq_find(&m->b, key)) >= 0) {   /* probation hit: promoted; protected overflows back */
            rq_del(&m->b, i);
            rq_push(&m->g, key, 0);
            while (m->g.n > prot && m->g.n > 1) { rq_push(&m->b, m->g.key[0], 0); rq_del(&m->g, 0); }
            return true;
        }
        while (m->a.n + m->b.n + m->g.n + 1 > c) {   /* one eviction a round */
            bool done = false;
            /* the newcomer will join the window: its LRU moves on to main
             * while main has room, else duels main's victim */
            while (!done && m->a.n && m->a.n + 1 > win) {
                int cand = m->a.key[0];
                rq_del(&m->a, 0);
                if (m->b.n + m->g.n + 1 <= main_cap) { rq_push(&m->b, cand, 0); continue; }
                rq_t *vq = m->b.n ? &m->b : m->g.n ? &m->g : NULL;
                if (vq && sketch_estimate(&m->sk, (uint64_t)cand) > sketch_estimate(&m->sk, (uint64_t)vq->key[0])) {
                    rq_push(&m->b, cand, 0);   /* the candidate wins: main's victim goes */
                    rq_del(vq, 0);
                }
                done = true;                   /* else the candidate itself went */
            }
            if (done) continue;
            if (m->b.n) rq_del(&m->b, 0);
            else if (m->g.n) rq_del(&m->g, 0);
            else rq_del(&m->a, 0);
        }
        rq_push(&m->a, key, 0);
        while (m->a.n > win && m->a.n > 1 && m->b.n + m->g.n + 1 <= main_cap) {
            rq_push(&m->b, m->a.key[0], 0);
            rq_del(&m->a, 0);
        }
        return false;
    }
    ck_abort_msg("no reference for %s", p);
    return false;
}

/* S3-FIFO against Algorithm 1 of Yang et al., "FIFO queues are all you need
 * for cache eviction" (SOSP'23), restated line by line over arrays (index 0
 * the tail, the oldest end):
 *   READ(x):   x in S or M -> x.freq = min(x.freq + 1, 3), hit;
 *              else INSERT(x), x.freq = 0, miss
 *   INSERT(x): while the cache is full: EVICT(); x in G -> M's head, else S's
 *   EVICT():   S.size >= 0.1 * cache size -> EVICTS() else EVICTM()
 *   EVICTS():  until one object is evicted, while S is not empty: t = S's
 *              tail; t.freq > 1 -> t to M (if M is full: EVICTM()), else
 *              t to G and evicted; t leaves S
 *   EVICTM():  until one object is evicted, while M is not empty: t = M's
 *              tail; t.freq > 0 -> t to M's head with freq - 1, else evicted
 * Readings where the pseudo-code is silent, each as the paper's text or
 * libCacheSim has it: sizes are weights (1 each when counting objects);
 * "full" for the cache means the newcomer does not fit, for M that M weighs
 * more than its 90% share; a move to M clears the frequency ("its access bit
 * is cleared during the move"); G is a FIFO of at most M's share, and x's
 * presence in G is what it was when x was requested (libCacheSim); an EVICT
 * whose queue is empty works on the other; an object larger than the whole
 * cache is not stored (the cache core's rule). */
#define A1MAX 400

typedef struct a1q { int key[A1MAX], freq[A1MAX], n, w; } a1q_t;

typedef struct a1 { a1q_t S, M, G; int cap; const int *size; } a1_t;

static int a1_find(const a1q_t *q, int key)
{
    for (int i = 0; i < q->n; i++) if (q->key[i] == key) return i;
    return -1;
}

static void a1_del(a1_t *m, a1q_t *q, int i)
{
    q->w -= m->size[q->key[i]];
    memmove(q->key + i, q->key + i + 1, (size_t)(q->n - i - 1) * sizeof(int));
    memmove(q->freq + i, q->freq + i + 1, (size_t)(q->n - i - 1) * sizeof(int));
    q->n--;
}

static void a1_push(a1_t *m, a1q_t *q, int key, int freq)   /* at the head */
{
    ck_assert_int_lt(q->n, A1MAX);
    q->key[q->n] = key;
    q->freq[q->n++] = freq;
    q->w += m->size[key];
}

static void a1_evict_m(a1_t *m)
{
    bool evicted = false;
    while (!evicted && m->M.n > 0) {
        int t = m->M.key[0], f = m->M.freq[0];
        a1_del(m, &m->M, 0);
        if (f > 0) a1_push(m, &m->M, t, f - 1);
        else evicted = true;
    }
}

static void a1_evict_s(a1_t *m)
{
    bool evicted = false;
    while (!evicted && m->S.n > 0) {
        int t = m->S.key[0], f = m->S.freq[0];
        a1_del(m, &m->S, 0);
        if (f > 1) {
            a1_push(m, &m->M, t, 0);
            if (m->M.w * 10 > 9 * m->cap) a1_evict_m(m);
        } else {
            a1_push(m, &m->G, t, 0);
            while (m->G.w * 10 > 9 * m->cap) a1_del(m, &m->G, 0);
            evicted = true;
        }
    }
}

static bool a1_read(a1_t *m, int x)
{
    int i;
    if ((i = a1_find(&m->S, x)) >= 0) { if (m->S.freq[i] < 3) m->S.freq[i]++; return true; }
    if ((i = a1_find(&m->M, x)) >= 0) { if (m->M.freq[i] < 3) m->M.freq[i]++; return true; }
    if (m->size[x] > m->cap) return false;
    int g = a1_find(&m->G, x);
    if (g >= 0) a1_del(m, &m->G, g);
    while (m->S.w + m->M.w + m->size[x] > m->cap) {
        if (m->S.n > 0 && (m->S.w * 10 >= m->cap || m->M.n == 0)) a1_evict_s(m);
        else a1_evict_m(m);
    }
    a1_push(m, g >= 0 ? &m->M : &m->S, x, 0);
    return false;
}

/* Hundreds of short random traces, counting objects and bytes: the same
 * hit/miss sequence as the pseudo-code. The previous S3-FIFO (an EVICTS that
 * stopped after the M eviction it triggered, and kept the frequency on a
 * move) differed on 220 of these 300 traces. */
/* A dense-id cache (the replay's array index) keeps exactly what a keyed one
 * keeps: every policy, count and byte capacities, the same random requests,
 * ids handed out in order of first appearance (not the keys themselves), so
 * the hit/miss sequences and eviction counts must agree request by request. */
START_TEST(dense_ids_same_as_keys)
{
    const char *const *names = cache_policy_names();
    for (int pi = 0; names[pi]; pi++) {
        for (int bytes = 0; bytes < 2; bytes++) {
            char err[256];
            cache_config_t cfg = { .policy = names[pi], .capacity_objects = bytes ? 0 : 37,
                                   .capacity_bytes = bytes ? 20000 : 0, .seed = 7,
                                   .stream = "test.cache" };
            cache_t *a = cache_create(&cfg, err, sizeof err);
            cache_t *b = cache_create_ids(&cfg, 300, err, sizeof err);
            ck_assert_msg(a && b, "%s: %s", names[pi], err);
            uint32_t id_of[300];
            uint32_t nids = 0;
            for (int k = 0; k < 300; k++) id_of[k] = UINT32_MAX;
            enum { N = 6000 };
            static uint64_t keys[N];
            srand(11 + pi);
            for (int i = 0; i < N; i++) {   /* skewed: small keys often */
                int k = rand() % 300;
                keys[i] = (uint64_t)(rand() % 2 ? k % 40 : k) * 7919 + 3;
            }
            for (int i = 0; i < N; i++) {
                int64_t next = -1;
                for (int j = i + 1; j < N && j < i + 3000; j++)
                    if (keys[j] == keys[i]) { next = j + 1; break; }
                uint32_t k = (uint32_t)((keys[i] - 3) / 7919);
                if (id_of[k] == UINT32_MAX) id_of[k] = nids++;
                cache_req_t r = { .key = keys[i], .size = 1 + (uint32_t)(keys[i] * 37 % 1500),
                                  .now = i, .next_access = next };
                cache_entry_t *ea = cache_find(a, r.key), *eb = cache_find_id(b, id_of[k]);
                ck_assert_msg((ea != NULL) == (eb != NULL), "%s%s: request %d: %s keyed, %s by id",
                              names[pi], bytes ? " (bytes)" : "", i + 1, ea ? "hit" : "miss",
                              eb ? "hit" : "miss");
                if (ea) {
                    ck_assert_uint_eq(eb->key, r.key);
                    cache_touch(a, ea, &r);
                    cache_touch(b, eb, &r);
                } else {
                    cache_put(a, &r, SIMTIME_MAX, 0);
                    cache_put_id(b, &r, id_of[k]);
                }
                ck_assert_uint_eq(cache_objects(a), cache_objects(b));
                ck_assert_uint_eq(cache_bytes(a), cache_bytes(b));
                if (i % 500 == 0) ck_assert_msg(cache_check(b), "%s: check failed", names[pi]);
            }
            ck_assert_uint_eq(cache_evictions(a), cache_evictions(b));
            ck_assert(cache_check(b));
            cache_destroy(a);
            cache_destroy(b);
        }
    }
}
END_TEST

START_TEST(s3fifo_algorithm1)
{
    enum { TRACES = 300, LEN = 600 };
    static int sizes[1000], seq[LEN];
    int differed = 0;
    srand(2023);
    for (int tr = 0; tr < TRACES; tr++) {
        bool bytes = tr % 3 == 2;
        int cap = bytes ? 20 + rand() % 200 : 1 + rand() % 40;
        int keys = 2 + rand() % (bytes ? 60 : 4 * cap + 2);
        for (int k = 0; k < keys; k++) sizes[k] = bytes ? 1 + rand() % 30 : 1;
        for (int i = 0; i < LEN; i++) {
            /* skewed: a hot third of the keys takes half the requests */
            int k = rand() % keys;
            seq[i] = rand() % 2 ? k % (keys / 3 + 1) : k;
        }
        static a1_t m;
        memset(&m, 0, sizeof m);
        m.cap = cap;
        m.size = sizes;
        cache_t *c = make("s3fifo", bytes ? 0 : (uint64_t)cap, bytes ? (uint64_t)cap : 0, 1);
        int first = -1;
        for (int i = 0; i < LEN; i++) {
            cache_req_t r = { .key = (uint64_t)seq[i], .size = (uint32_t)sizes[seq[i]], .now = i };
            cache_entry_t *e = cache_find(c, r.key);
            if (e) cache_touch(c, e, &r);
            else cache_put(c, &r, SIMTIME_MAX, 0);
            bool want = a1_read(&m, seq[i]);
            if ((e != NULL) != want && first < 0) first = i;
            ck_assert(cache_check(c));
            ck_assert_uint_eq(bytes ? cache_bytes(c) : cache_objects(c), (uint64_t)(m.S.w + m.M.w));
        }
        if (first >= 0) {
            differed++;
            fprintf(stderr, "trace %d (%s, capacity %d, %d keys): first differs at request %d\n",
                    tr, bytes ? "bytes" : "objects", cap, keys, first + 1);
        }
        cache_destroy(c);
    }
    ck_assert_int_eq(differed, 0);
}
END_TEST

START_TEST(against_reference_models)
{
    static const char *const policies[] = { "lru", "fifo", "clock", "sieve", "lfu", "belady",
                                            "twoq", "arc", "lfuda", "gdsf", "tinylfu", NULL };
    static const int caps[] = { 1, 2, 3, 5, 10, 20 };
    enum { LEN = 3000 };
    static int seq[LEN];
    for (int pi = 0; policies[pi]; pi++) {
        for (int ci = 0; ci < 6; ci++) {
            for (int round = 0; round < 3; round++) {
                int c = caps[ci], keys = round == 0 ? c + 2 : round == 1 ? 3 * c + 1 : 10 * c;
                srand(100 * ci + round);
                for (int i = 0; i < LEN; i++) {
                    /* skewed: half the requests on a quarter of the keys */
                    int k = rand() % keys;
                    seq[i] = rand() % 2 ? k % (keys / 4 + 1) : k;
                }
                ref_t m = { .policy = policies[pi], .cap = c, .hand = -1 };
                cache_t *cache = make(policies[pi], (uint64_t)c, 0, 1);
                for (int i = 0; i < LEN; i++) {
                    int64_t next = -1;
                    for (int j = i + 1; j < LEN; j++) if (seq[j] == seq[i]) { next = j + 1; break; }
                    cache_req_t r = { .key = (uint64_t)seq[i], .size = 1 + (uint32_t)seq[i] % 5,
                                      .now = i, .next_access = next };
                    cache_entry_t *e = cache_find(cache, r.key);
                    bool hit = e != NULL;
                    if (e) cache_touch(cache, e, &r);
                    else cache_put(cache, &r, SIMTIME_MAX, 0);
                    bool want = ref_step(&m, seq[i], seq, i, LEN);
                    ck_assert_msg(hit == want, "%s, capacity %d, keys %d: request %d (key %d): "
                                  "%s, the reference says %s", policies[pi], c, keys, i + 1, seq[i],
                                  hit ? "hit" : "miss", want ? "hit" : "miss");
                }
                sketch_free(&m.sk);
                cache_destroy(cache);
            }
        }
    }
}
END_TEST

/* Byte capacity against a reference: LRU and FIFO evict from the old end
 * until the newcomer fits; a newcomer larger than the cache evicts nothing. */
START_TEST(bytes_against_reference)
{
    for (int lru = 0; lru < 2; lru++) {
        cache_t *c = make(lru ? "lru" : "fifo", 0, 1000, 1);
        rq_t q = { .n = 0 };   /* aux: size */
        int used = 0;
        srand(5);
        for (int i = 0; i < 20000; i++) {
            int k = rand() % 40;
            int size = k == 7 ? 1001 : 1 + k * 37 % 300;
            cache_req_t r = { .key = (uint64_t)k, .size = (uint32_t)size };
            cache_entry_t *e = cache_find(c, r.key);
            if (e) cache_touch(c, e, &r);
            else cache_put(c, &r, SIMTIME_MAX, 0);
            int at = rq_find(&q, k);
            bool want = at >= 0;
            if (want && lru) { rq_del(&q, at); rq_push(&q, k, size); }
            if (!want && size <= 1000) {
                while (used + size > 1000) { used -= q.aux[0]; rq_del(&q, 0); }
                rq_push(&q, k, size);
                used += size;
            }
            ck_assert_msg((e != NULL) == want, "%s request %d", lru ? "lru" : "fifo", i + 1);
            ck_assert_uint_eq(cache_bytes(c), (uint64_t)used);
        }
        cache_destroy(c);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cache_policies");
    TCase *t = tcase_create("hand-worked");
    tcase_add_test(t, lru_sequences);
    tcase_add_test(t, fifo_sequences);
    tcase_add_test(t, clock_sequences);
    tcase_add_test(t, sieve_sequences);
    tcase_add_test(t, lfu_sequences);
    tcase_add_test(t, lfuda_sequences);
    tcase_add_test(t, gdsf_sequences);
    tcase_add_test(t, s3fifo_sequences);
    tcase_add_test(t, arc_sequences);
    tcase_add_test(t, twoq_sequences);
    tcase_add_test(t, belady_sequences);
    tcase_add_test(t, tinylfu_sketch_saturates_and_ages);
    tcase_add_test(t, belady_bytes_decides_before_evicting);
    tcase_add_test(t, random_sequences);
    tcase_add_test(t, random_victims_are_gsl_uniform_int);
    tcase_add_test(t, tinylfu_scan_resistance);
    suite_add_tcase(s, t);
    TCase *inv = tcase_create("invariants");
    tcase_set_timeout(inv, 60);
    tcase_add_test(inv, invariants_random_workloads);
    tcase_add_test(inv, byte_capacity);
    tcase_add_test(inv, growth);
    tcase_add_test(inv, memory_budget);
    tcase_add_test(inv, huge_object_capacity_reserves_little);
    tcase_add_test(inv, replace_and_remove);
    tcase_add_test(inv, unknown_policy);
    tcase_add_test(inv, ghost_ring);
    tcase_add_test(inv, against_reference_models);
    tcase_add_test(inv, s3fifo_algorithm1);
    tcase_add_test(inv, bytes_against_reference);
    tcase_add_test(inv, dense_ids_same_as_keys);
    suite_add_tcase(s, inv);
    return s;
}

int main(void)
{
    return test_main(suite());
}
