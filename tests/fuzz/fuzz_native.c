/* Fuzzes the compiled event-file reader's framing and decoding (app/lrdesigner/logs/_native.c,
   compiled in here without Python) with mutated event files, for a sanitizer-instrumented build:
   run.sh builds it with -fsanitize=address,undefined and runs it for a minute.

   Usage: fuzz_native SECONDS SEED [EVENT_FILE...]
          fuzz_native replay=ITERATION SEED [EVENT_FILE...]   (the one input a failure names)

   The corpus is the given files plus a few generated here (every layout the decoder knows, and
   some it must refuse). Each iteration i draws its input from (SEED, i) alone, so a failure is
   reproduced by replaying its iteration with the same seed and files. Three kinds of input:
   - framing: a run of whole records of a seed, its bytes mutated (lengths, checksums, data,
     truncation), framed, and what frames decoded;
   - decoding: records of a seed with their payloads mutated and their checksums made right
     again, so that the mutations reach the protobuf walk; each mutated payload decoded alone,
     then all of them framed, decoded and grouped by tag;
   - bounds: arbitrary record offsets and lengths, some outside the buffer, which decoding must
     refuse without reading there.
   Besides the sanitizers, the results are checked for consistency (every record framed,
   tag ids in range and naming their tag's bytes, the grouping a permutation by tag); a violation
   aborts with a message. Every input is a buffer of its exact size, so that reading one byte past
   it is a sanitizer report. */

#define LRDESIGNER_NATIVE_NO_PYTHON 1
#include "../../app/lrdesigner/logs/_native.c"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#if defined(__has_include)
#if __has_include(<sanitizer/common_interface_defs.h>)
#include <sanitizer/common_interface_defs.h>
#define HAVE_DEATH_CALLBACK 1
#endif
#endif

/* ---- random numbers: splitmix64, one stream per iteration ---- */

static uint64_t rng_state;

static uint64_t next_u64(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t below(size_t n) { return n ? (size_t)(next_u64() % n) : 0; }

static int chance(int percent) { return (int)below(100) < percent; }

static void fail(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "fuzz_native: invariant failed: ");
    vfprintf(stderr, fmt, args);
    fprintf(stderr, "\n");
    va_end(args);
    abort();
}

/* ---- byte strings ---- */

typedef struct {
    uint8_t *data;
    size_t size, capacity;
} Bytes;

static void put_bytes(Bytes *b, const void *p, size_t n) {
    if (b->size + n > b->capacity || !b->data) { /* never a NULL buffer: mutations memmove in it */
        size_t cap = b->capacity ? b->capacity : 256;
        while (cap < b->size + n) cap *= 2;
        b->data = realloc(b->data, cap);
        if (!b->data) fail("out of memory");
        b->capacity = cap;
    }
    if (n) memcpy(b->data + b->size, p, n);
    b->size += n;
}

static void put_byte(Bytes *b, uint8_t x) { put_bytes(b, &x, 1); }

static void put_varint(Bytes *b, uint64_t v) {
    do {
        put_byte(b, (uint8_t)((v & 0x7F) | (v > 0x7F ? 0x80 : 0)));
        v >>= 7;
    } while (v);
}

static void put_key(Bytes *b, int field, int wire) { put_varint(b, (uint64_t)(field << 3 | wire)); }

static void put_field(Bytes *b, int field, const void *p, size_t n) { /* length-delimited */
    put_key(b, field, 2);
    put_varint(b, n);
    put_bytes(b, p, n);
}

static void put_message(Bytes *b, int field, Bytes *m) { /* and frees m */
    put_field(b, field, m->data, m->size);
    free(m->data);
    *m = (Bytes){0};
}

static void put_f32(Bytes *b, int field, float x) {
    put_key(b, field, 5);
    put_bytes(b, &x, 4);
}

/* One record around payload p[0, n). */
static void put_record(Bytes *file, const uint8_t *p, size_t n) {
    uint8_t head[12];
    uint64_t len = n;
    memcpy(head, &len, 8);
    uint32_t c = masked(crc32c(head, 8));
    memcpy(head + 8, &c, 4);
    put_bytes(file, head, 12);
    put_bytes(file, p, n);
    c = masked(crc32c(p, n));
    put_bytes(file, &c, 4);
}

/* ---- generated seeds: events as TensorFlow, PyTorch and TF1 writers lay them out, and others ---- */

static void put_event_head(Bytes *ev, double wall, int64_t step) {
    put_key(ev, 1, 1);
    put_bytes(ev, &wall, 8);
    put_key(ev, 2, 0);
    put_varint(ev, (uint64_t)step);
}

static void put_metadata(Bytes *value, const char *plugin) {
    Bytes data = {0}, meta = {0};
    put_field(&data, 1, plugin, strlen(plugin));
    put_message(&meta, 1, &data);
    put_message(value, 9, &meta);
}

/* A TensorProto of dtype with tensor_content (or, for content == NULL, the given *_val field). */
static void put_tensor(Bytes *value, int dtype, const void *content, size_t n, int val_field, int shaped) {
    Bytes t = {0};
    put_key(&t, 1, 0);
    put_varint(&t, (uint64_t)dtype);
    if (shaped) {
        Bytes shape = {0}, dim = {0};
        put_key(&dim, 1, 0);
        put_varint(&dim, 1);
        put_message(&shape, 2, &dim);
        put_message(&t, 2, &shape);
    } else {
        put_field(&t, 2, "", 0);
    }
    if (content)
        put_field(&t, 4, content, n);
    else if (val_field == 5)
        put_f32(&t, 5, 0.25f);
    else if (val_field == 6) {
        double x = -0.5;
        put_key(&t, 6, 1);
        put_bytes(&t, &x, 8);
    } else if (val_field == 8)
        put_field(&t, 8, "text", 4);
    put_message(value, 8, &t);
}

static void put_value(Bytes *summary, const char *tag, int kind, int64_t i) {
    Bytes v = {0};
    put_field(&v, 1, tag, strlen(tag));
    float f = (float)i / 7.0f;
    double d = (double)i / 3.0;
    int32_t i32 = (int32_t)i - 5;
    int64_t i64 = -i * 1000003;
    uint16_t half = (uint16_t)(0x3C00 + i), bf16 = (uint16_t)(0x3F80 + i);
    switch (kind) {
    case 0: put_f32(&v, 2, f); break; /* TF1 / PyTorch simple_value */
    case 1: put_tensor(&v, DT_FLOAT, &f, 4, 0, 0); put_metadata(&v, "scalars"); break;
    case 2: put_tensor(&v, DT_DOUBLE, &d, 8, 0, 0); break;
    case 3: put_tensor(&v, DT_INT32, &i32, 4, 0, 0); break;
    case 4: put_tensor(&v, DT_INT64, &i64, 8, 0, 0); break;
    case 5: put_tensor(&v, DT_HALF, &half, 2, 0, 0); break;
    case 6: put_tensor(&v, DT_BFLOAT16, &bf16, 2, 0, 0); break;
    case 7: put_tensor(&v, DT_FLOAT, NULL, 0, 5, 0); break;
    case 8: put_tensor(&v, DT_DOUBLE, NULL, 0, 6, 0); break;
    case 9: put_tensor(&v, 7, NULL, 0, 8, 0); put_metadata(&v, "text"); break;
    case 10: put_tensor(&v, DT_FLOAT, &f, 4, 0, 1); break; /* shaped: the protobuf path's */
    case 11: { /* an image */
        Bytes img = {0};
        put_key(&img, 1, 0);
        put_varint(&img, 2);
        put_field(&img, 4, "png", 3);
        put_message(&v, 4, &img);
        break;
    }
    default: { /* a histogram */
        Bytes h = {0};
        double lo = 1.0;
        put_key(&h, 1, 1);
        put_bytes(&h, &lo, 8);
        put_message(&v, 5, &h);
        break;
    }
    }
    put_message(summary, 1, &v);
}

static Bytes generated_seed(int which) {
    static const char *tags[] = {"loss", "lr", "train/learning_rate", "val/accuracy", "", "épsilon"};
    Bytes file = {0}, ev = {0};
    put_event_head(&ev, 1.7e9, 0);
    put_field(&ev, 3, "brain.Event:2", 13); /* file_version */
    put_record(&file, ev.data, ev.size);
    ev.size = 0;
    for (int64_t i = 0; i < 200; i++) {
        Bytes summary = {0};
        int64_t step = which == 3 && i % 50 == 7 ? -i : i; /* negative steps: ten-byte varints */
        put_event_head(&ev, 1.7e9 + (double)i, step);
        if (which == 0) {
            put_value(&summary, tags[i % 4], 0, i);
        } else if (which == 1) {
            put_value(&summary, tags[i % 4], 1, i);
        } else if (which == 2) { /* every kind, several per summary */
            for (int k = 0; k < 1 + i % 4; k++) put_value(&summary, tags[(i + k) % 6], (int)((i + k) % 13), i);
        } else { /* many distinct tags, and records of other kinds */
            char tag[32];
            snprintf(tag, sizeof tag, "tag/%d", (int)(i * 7919 % 300));
            put_value(&summary, tag, (int)(i % 3), i);
            if (i % 17 == 0) put_field(&ev, 4, "\x0a\x03" "abc", 5); /* graph_def */
        }
        put_message(&ev, 5, &summary);
        put_record(&file, ev.data, ev.size);
        ev.size = 0;
    }
    free(ev.data);
    return file;
}

/* ---- the corpus ---- */

typedef struct {
    const char *name;
    uint8_t *data;
    size_t size;
    int64_t *heads, *lens; /* the records framed in it: header offsets and data lengths */
    size_t n_records;
} Seed;

static Seed *seeds;
static size_t n_seeds;

static void add_seed(const char *name, uint8_t *data, size_t size) {
    Vec heads = VEC(8), lens = VEC(8);
    ptrdiff_t end, bad;
    if (frame_records(data, (ptrdiff_t)size, &heads, &lens, &end, &bad) == NO_MEMORY) fail("out of memory");
    if (heads.size == 0) { /* nothing framed (an LFS pointer, an empty file): nothing to mutate */
        free(data);
        vec_free(&heads);
        vec_free(&lens);
        return;
    }
    seeds = realloc(seeds, sizeof(Seed) * (n_seeds + 1));
    if (!seeds) fail("out of memory");
    seeds[n_seeds++] = (Seed){name, data, size, (int64_t *)heads.data, (int64_t *)lens.data, (size_t)heads.size};
}

static void load_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz_native: cannot open %s\n", path);
        exit(2);
    }
    Bytes b = {0};
    uint8_t chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) put_bytes(&b, chunk, n);
    fclose(f);
    add_seed(path, b.data, b.size);
}

/* ---- the current input (what a failure reports) ---- */

static uint64_t iteration, master_seed;
static const char *mode = "none";
static const uint8_t *input;
static size_t input_size;

#ifdef HAVE_DEATH_CALLBACK
static void on_death(void) {
    fprintf(stderr, "fuzz_native: failed at iteration %llu (seed %llu, %s input of %zu bytes); replay it "
                    "with: fuzz_native replay=%llu %llu FILES...\n",
            (unsigned long long)iteration, (unsigned long long)master_seed, mode, input_size,
            (unsigned long long)iteration, (unsigned long long)master_seed);
    FILE *f = fopen("fuzz-failure.bin", "wb");
    if (f && input) fwrite(input, 1, input_size, f);
    if (f) fclose(f);
}
#endif

/* ---- mutations ---- */

static const uint8_t INTERESTING[] = {0x00, 0x01, 0x02, 0x05, 0x07, 0x08, 0x09, 0x0A, 0x0D, 0x10, 0x12, 0x15,
                                      0x1A, 0x22, 0x25, 0x29, 0x2A, 0x31, 0x32, 0x3A, 0x42, 0x4A, 0x4A, 0x7F,
                                      0x80, 0x81, 0xFE, 0xFF};

/* Mutate b in place, a few times: bit flips, chosen bytes, varint-like runs, cuts, insertions,
   copies from elsewhere in b or from another seed. */
static void mutate(Bytes *b) {
    int count = 1 + (int)below(chance(80) ? 4 : 16);
    for (int m = 0; m < count; m++) {
        size_t n = b->size, at = below(n + 1);
        switch (below(9)) {
        case 0:
            if (n) b->data[below(n)] ^= (uint8_t)(1u << below(8));
            break;
        case 1:
            if (n) b->data[below(n)] = INTERESTING[below(sizeof INTERESTING)];
            break;
        case 2:
            if (n) b->data[below(n)] = (uint8_t)next_u64();
            break;
        case 3: { /* a run of continuation bytes: long or unterminated varints */
            size_t k = 1 + below(11);
            for (size_t j = 0; j < k && at + j < n; j++) b->data[at + j] = (uint8_t)(0x80 | next_u64());
            break;
        }
        case 4: /* cut the tail */
            b->size = below(n + 1);
            break;
        case 5: { /* delete a range */
            size_t k = below(n - at + 1);
            memmove(b->data + at, b->data + at + k, n - at - k);
            b->size -= k;
            break;
        }
        case 6: { /* insert random bytes */
            uint8_t tmp[16];
            size_t k = 1 + below(sizeof tmp);
            for (size_t j = 0; j < k; j++) tmp[j] = chance(50) ? INTERESTING[below(sizeof INTERESTING)] : (uint8_t)next_u64();
            put_bytes(b, tmp, k); /* grow, then move into place */
            memmove(b->data + at + k, b->data + at, n - at);
            memcpy(b->data + at, tmp, k);
            break;
        }
        case 7: { /* copy a range of b over another place */
            if (!n) break;
            size_t from = below(n), k = below(n - from + 1);
            if (at + k > n) k = n - at;
            memmove(b->data + at, b->data + from, k);
            break;
        }
        default: { /* splice in bytes of another seed */
            const Seed *s = &seeds[below(n_seeds)];
            size_t from = below(s->size), k = 1 + below(64);
            if (from + k > s->size) k = s->size - from;
            uint8_t *tmp = malloc(k ? k : 1);
            if (!tmp) fail("out of memory");
            memcpy(tmp, s->data + from, k);
            put_bytes(b, tmp, k);
            memmove(b->data + at + k, b->data + at, n - at);
            memcpy(b->data + at, tmp, k);
            free(tmp);
            break;
        }
        }
    }
}

/* A length-delimited field: the offsets of its key, its length and its body, and its end. */
typedef struct {
    size_t key, length, body, end;
} Span;

/* One of the length-delimited fields among the fields of p[b, e), at random: 0 when none. */
static int pick_field(const uint8_t *p, size_t b, size_t e, Span *out) {
    Span found[32];
    int n = 0;
    ptrdiff_t q = (ptrdiff_t)b, end = (ptrdiff_t)e;
    while (q < end && n < 32) {
        size_t key = (size_t)q;
        uint64_t k, v;
        if (!varint(p, &q, end, &k)) break;
        int wire = (int)(k & 7);
        if (wire == 0) {
            if (!varint(p, &q, end, &v)) break;
        } else if (wire == 1 || wire == 5) {
            ptrdiff_t width = wire == 1 ? 8 : 4;
            if (end - q < width) break;
            q += width;
        } else if (wire == 2) {
            size_t length = (size_t)q;
            if (!varint(p, &q, end, &v) || v > (uint64_t)(end - q)) break;
            found[n++] = (Span){key, length, (size_t)q, (size_t)q + (size_t)v};
            q += (ptrdiff_t)v;
        } else {
            break;
        }
    }
    if (!n) return 0;
    *out = found[below((size_t)n)];
    return 1;
}

/* Mutate a field nested up to four deep (event, summary, value, tensor or metadata) and make
   the lengths around it right again: random bytes seldom keep a protobuf's lengths consistent,
   and the decoder refuses what is inconsistent before it looks further. */
static void mutate_nested(Bytes *payload) {
    Span chain[4];
    int depth = 0, want = 1 + (int)below(4);
    size_t b = 0, e = payload->size;
    while (depth < want && pick_field(payload->data, b, e, &chain[depth])) {
        b = chain[depth].body;
        e = chain[depth].end;
        depth++;
    }
    if (!depth) {
        mutate(payload);
        return;
    }
    Bytes inner = {0};
    put_bytes(&inner, payload->data + b, e - b);
    if (chance(40)) /* cut the field short by a few bytes: a value's last field truncated */
        inner.size -= below((inner.size < 8 ? inner.size : 8) + 1);
    else
        mutate(&inner);
    for (int d = depth - 1; d >= 0; d--) { /* the enclosing fields, their lengths made right */
        size_t from = d ? chain[d - 1].body : 0, to = d ? chain[d - 1].end : payload->size;
        Bytes outer = {0};
        put_bytes(&outer, payload->data + from, chain[d].length - from); /* up to and with the key */
        put_varint(&outer, inner.size);
        put_bytes(&outer, inner.data, inner.size);
        put_bytes(&outer, payload->data + chain[d].end, to - chain[d].end);
        free(inner.data);
        inner = outer;
    }
    free(payload->data);
    *payload = inner;
}

/* ---- running the reader ---- */

/* A copy of b in a buffer of exactly its size. */
static uint8_t *exact_copy(const Bytes *b) {
    uint8_t *p = malloc(b->size ? b->size : 1);
    if (!p) fail("out of memory");
    if (b->size) memcpy(p, b->data, b->size);
    return p;
}

static void check_decoding(const uint8_t *a, ptrdiff_t len, ptrdiff_t n_records, const Decoding *d) {
    if (d->ok.size != n_records || d->other.size != n_records) fail("%td records, %td flags", n_records, d->ok.size);
    ptrdiff_t m = d->out[RECORD].size, n_tags = d->tags.starts.size;
    for (int k = 0; k < N_OUT; k++)
        if (d->out[k].size != m) fail("output %d has %td values, not %td", k, d->out[k].size, m);
    for (ptrdiff_t j = 0; j < m; j++) {
        int64_t r = VEC_AT(d->out[RECORD], int64_t, j), s = VEC_AT(d->out[TAG_START], int64_t, j);
        int64_t l = VEC_AT(d->out[TAG_LEN], int64_t, j);
        int32_t id = VEC_AT(d->out[TAG_ID], int32_t, j);
        if (r < 0 || r >= n_records || !VEC_AT(d->ok, uint8_t, r)) fail("value %td of record %lld", j, (long long)r);
        if (j && r < VEC_AT(d->out[RECORD], int64_t, j - 1)) fail("values out of record order");
        if (s < 0 || l < 0 || s + l > len) fail("tag of value %td outside the buffer", j);
        if (id < 0 || id >= n_tags) fail("tag id %d of %td", id, n_tags);
        int64_t ts = VEC_AT(d->tags.starts, int64_t, id), tl = VEC_AT(d->tags.lens, int64_t, id);
        if (tl != l || memcmp(a + ts, a + s, (size_t)l) != 0) fail("value %td is not of its tag", j);
    }
    if (n_tags <= 64) /* each tag once */
        for (ptrdiff_t x = 0; x < n_tags; x++)
            for (ptrdiff_t y = x + 1; y < n_tags; y++) {
                int64_t lx = VEC_AT(d->tags.lens, int64_t, x), ly = VEC_AT(d->tags.lens, int64_t, y);
                if (lx == ly && memcmp(a + VEC_AT(d->tags.starts, int64_t, x), a + VEC_AT(d->tags.starts, int64_t, y),
                                       (size_t)lx) == 0)
                    fail("tags %td and %td are the same", x, y);
            }
}

static void check_groups(const Decoding *d, const Groups *g) {
    ptrdiff_t m = d->out[RECORD].size, n_tags = d->tags.starts.size;
    if (g->perm.size != m || g->bounds[0] != 0 || g->bounds[n_tags] != m) fail("grouping sizes");
    for (ptrdiff_t k = 0; k < n_tags; k++) {
        if (g->bounds[k] >= g->bounds[k + 1]) fail("tag %td has no values", k);
        ptrdiff_t simple = 0;
        for (ptrdiff_t i = g->bounds[k]; i < g->bounds[k + 1]; i++) {
            int64_t j = VEC_AT(g->perm, int64_t, i);
            if (j < 0 || j >= m || VEC_AT(d->out[TAG_ID], int32_t, j) != k) fail("perm[%td] is not of tag %td", i, k);
            if (i > g->bounds[k] && j <= VEC_AT(g->perm, int64_t, i - 1)) fail("tag %td's values out of order", k);
            simple += VEC_AT(d->out[SIMPLE], uint8_t, j);
        }
        if (simple != g->n_simple[k]) fail("tag %td: %td simple values, not %td", k, simple, g->n_simple[k]);
        ptrdiff_t f = g->first_meta[k];
        if (f != -1 && (f < g->bounds[k] || f >= g->bounds[k + 1])) fail("tag %td's first metadata", k);
    }
}

/* Decode (and group) the given records of a[0, len); returns the decoder's result. */
static int decode_and_check(const uint8_t *a, ptrdiff_t len, const int64_t *starts, const int64_t *lengths,
                            ptrdiff_t n_records) {
    uint8_t key[16];
    for (int k = 0; k < 16; k++) key[k] = (uint8_t)next_u64();
    Decoding d;
    Groups g = {VEC(8), NULL, NULL, NULL};
    int status = decode_records(a, len, (const uint8_t *)starts, (const uint8_t *)lengths, n_records, key, &d);
    if (status == NO_MEMORY) fail("out of memory while decoding");
    if (status == 0) {
        check_decoding(a, len, n_records, &d);
        if (group_by_tag(&d, &g)) fail("out of memory while grouping");
        check_groups(&d, &g);
    }
    decoding_free(&d);
    groups_free(&g);
    return status;
}

/* Frame a[0, n) and decode what framed; returns the framing's result. */
static int frame_and_decode(const uint8_t *a, size_t n) {
    Vec heads = VEC(8), lens = VEC(8);
    ptrdiff_t end, bad;
    int problem = frame_records(a, (ptrdiff_t)n, &heads, &lens, &end, &bad);
    if (problem == NO_MEMORY) fail("out of memory while framing");
    if (end < 0 || (size_t)end > n) fail("framing ended at %td of %zu", end, n);
    if ((problem == FRAMED) != (bad == -1) || (bad != -1 && bad != end)) fail("problem %d at %td", problem, bad);
    for (ptrdiff_t r = 0; r < heads.size; r++) { /* data offsets, as the Python side passes them */
        VEC_AT(heads, int64_t, r) += 12;
        if (VEC_AT(heads, int64_t, r) + VEC_AT(lens, int64_t, r) + 4 > (int64_t)n) fail("record %td overruns", r);
    }
    if (heads.size && decode_and_check(a, (ptrdiff_t)n, (int64_t *)heads.data, (int64_t *)lens.data, heads.size))
        fail("framed records lie outside the buffer");
    vec_free(&heads);
    vec_free(&lens);
    return problem;
}

/* A run of whole records of seed s, at most about `budget` bytes: [*first, *last). */
static void pick_records(const Seed *s, size_t budget, size_t *first, size_t *last) {
    *first = below(s->n_records);
    *last = *first + 1;
    size_t bytes = (size_t)s->lens[*first] + 16;
    while (*last < s->n_records && bytes + (size_t)s->lens[*last] + 16 <= budget && chance(97))
        bytes += (size_t)s->lens[(*last)++] + 16;
}

static long counts[3];

/* Decode one record payload alone, in a buffer that ends where it ends: a read past its end is a
   sanitizer report (inside a file, it would read the checksum after it). */
static void decode_alone(const Bytes *payload) {
    uint8_t *a = exact_copy(payload);
    int64_t start = 0, length = (int64_t)payload->size;
    input = a, input_size = payload->size, mode = "decoding (one record)";
    if (decode_and_check(a, (ptrdiff_t)payload->size, &start, &length, 1)) fail("one record outside the buffer");
    free(a);
}

static void fuzz_framing(const Seed *s) {
    size_t first, last;
    pick_records(s, 1 << 16, &first, &last);
    size_t from = (size_t)s->heads[first], to = (size_t)(s->heads[last - 1] + s->lens[last - 1] + 16);
    Bytes b = {0};
    put_bytes(&b, s->data + from, to - from);
    if (chance(30)) { /* a length field: huge, off by a little, or at the edges */
        size_t r = first + below(last - first);
        uint64_t len = chance(50) ? next_u64() >> below(64) : (uint64_t)s->lens[r] + below(9) - 4;
        memcpy(b.data + (size_t)s->heads[r] - from, &len, 8);
        if (chance(50)) { /* with its checksum right */
            uint32_t c = masked(crc32c(b.data + (size_t)s->heads[r] - from, 8));
            memcpy(b.data + (size_t)s->heads[r] - from + 8, &c, 4);
        }
    } else {
        mutate(&b);
    }
    uint8_t *a = exact_copy(&b);
    input = a, input_size = b.size, mode = "framing";
    frame_and_decode(a, b.size);
    free(a);
    free(b.data);
    counts[0]++;
}

static void fuzz_decoding(const Seed *s) {
    size_t first, last;
    pick_records(s, 1 << 15, &first, &last);
    Bytes file = {0}, payload = {0};
    for (size_t r = first; r < last; r++) {
        payload.size = 0;
        put_bytes(&payload, s->data + s->heads[r] + 12, (size_t)s->lens[r]);
        if (r == first || chance(100 / (int)(1 + (last - first) / 4) + 5)) { /* a few of the records */
            if (chance(60))
                mutate_nested(&payload);
            else
                mutate(&payload);
            decode_alone(&payload);
        }
        put_record(&file, payload.data, payload.size);
    }
    uint8_t *a = exact_copy(&file);
    input = a, input_size = file.size, mode = "decoding";
    if (frame_and_decode(a, file.size) != FRAMED) fail("records with right checksums did not frame");
    free(a);
    free(file.data);
    free(payload.data);
    counts[1]++;
}

static void fuzz_bounds(const Seed *s) {
    size_t first, last;
    pick_records(s, 1 << 12, &first, &last);
    size_t from = (size_t)s->heads[first], n = (size_t)(s->heads[last - 1] + s->lens[last - 1] + 16) - from;
    Bytes b = {0};
    put_bytes(&b, s->data + from, n);
    if (chance(50)) mutate(&b);
    uint8_t *a = exact_copy(&b);
    input = a, input_size = b.size, mode = "bounds";
    int64_t starts[8], lengths[8];
    ptrdiff_t k = 1 + (ptrdiff_t)below(8), len = (ptrdiff_t)b.size;
    int outside = 0;
    for (ptrdiff_t r = 0; r < k; r++) {
        if (chance(90)) { /* inside */
            starts[r] = (int64_t)below((size_t)len + 1);
            lengths[r] = (int64_t)below((size_t)(len - starts[r]) + 1);
        } else { /* anywhere */
            starts[r] = chance(50) ? (int64_t)(next_u64() >> below(64)) : len - 3 + (int64_t)below(7);
            lengths[r] = chance(50) ? (int64_t)(next_u64() >> below(64)) : (int64_t)below(9) - 4;
        }
        outside |= starts[r] < 0 || lengths[r] < 0 || starts[r] > len || lengths[r] > len - starts[r];
    }
    if ((decode_and_check(a, len, starts, lengths, k) == OUTSIDE) != outside) fail("a record outside not refused");
    free(a);
    free(b.data);
    counts[2]++;
}

static void check_crc(void) { /* the hardware CRC against the table-driven one */
    uint8_t data[300];
    size_t n = below(sizeof data + 1), skew = below(8);
    for (size_t j = 0; j < n; j++) data[j] = (uint8_t)next_u64();
    if (n >= skew && crc32c(data + skew, n - skew) != crc_table_driven(data + skew, n - skew)) fail("crc32c");
}

static void run_iteration(uint64_t i) {
    iteration = i;
    rng_state = master_seed ^ (i * 0xD1B54A32D192ED03ull);
    next_u64();
    const Seed *s = &seeds[below(n_seeds)];
    size_t kind = below(100);
    if (kind < 30)
        fuzz_framing(s);
    else if (kind < 90)
        fuzz_decoding(s);
    else
        fuzz_bounds(s);
    if (chance(5)) check_crc();
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: fuzz_native SECONDS|replay=ITERATION SEED [EVENT_FILE...]\n");
        return 2;
    }
    crc_init();
    master_seed = strtoull(argv[2], NULL, 10);
    static const char *generated[] = {"generated: simple_value", "generated: tf2 tensors",
                                      "generated: every kind", "generated: many tags"};
    for (int k = 0; k < 4; k++) {
        Bytes b = generated_seed(k);
        add_seed(generated[k], b.data, b.size);
    }
    size_t records = 0, bytes = 0;
    for (int k = 3; k < argc; k++) load_file(argv[k]);
    for (size_t k = 0; k < n_seeds; k++) records += seeds[k].n_records, bytes += seeds[k].size;
#ifdef HAVE_DEATH_CALLBACK
    __sanitizer_set_death_callback(on_death);
#endif
    if (strncmp(argv[1], "replay=", 7) == 0) {
        run_iteration(strtoull(argv[1] + 7, NULL, 10));
        printf("iteration %s: no failure\n", argv[1] + 7);
        return 0;
    }
    double seconds = atof(argv[1]), start = now();
    printf("corpus: %zu seeds (%d generated, %d files), %zu records, %.1f MB; seed %llu\n", n_seeds, 4, argc - 3,
           records, bytes / 1e6, (unsigned long long)master_seed);
    fflush(stdout);
    uint64_t i = 0;
    do {
        for (int k = 0; k < 64; k++) run_iteration(i++);
    } while (now() - start < seconds);
    printf("%llu executions in %.1f s (%ld framing, %ld decoding, %ld bounds)\n", (unsigned long long)i,
           now() - start, counts[0], counts[1], counts[2]);
    for (size_t k = 0; k < n_seeds; k++) {
        free(seeds[k].data);
        free(seeds[k].heads);
        free(seeds[k].lens);
    }
    free(seeds);
    return 0;
}
