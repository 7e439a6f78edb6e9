/* Compiled framing and scalar decoding of TensorBoard event files.

   The same work as `records.frame` and `events_fast.decode` (whose docstrings define the
   layout and the results), one pass per record instead of numpy's passes over all records:
   numpy's fixed costs per operation dominate files of a few thousand records, which are most
   files. Optional: without a compiler the package uses the numpy path.

   Built against Python's limited API (setup.py defines Py_LIMITED_API), so one build serves
   every Python from 3.10 on. The framing and decoding themselves touch no Python object: with
   LRDESIGNER_NATIVE_NO_PYTHON defined this file compiles without Python.h, which is how
   tests/fuzz/ links them into a sanitizer-instrumented driver. */

#ifndef LRDESIGNER_NATIVE_NO_PYTHON
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#endif
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <nmmintrin.h>
#define HAVE_SSE42_BUILD 1
#endif

/* ---- CRC-32C (Castagnoli), TensorFlow's masked form ---- */

static uint32_t crc_table[8][256];
static int have_sse42 = 0;

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        crc_table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 8; t++)
            crc_table[t][i] = (crc_table[t - 1][i] >> 8) ^ crc_table[0][crc_table[t - 1][i] & 0xFF];
#ifdef HAVE_SSE42_BUILD
    __builtin_cpu_init();
    have_sse42 = __builtin_cpu_supports("sse4.2");
#endif
}

static uint32_t crc_table_driven(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    while (n >= 8) {
        uint32_t lo, hi;
        memcpy(&lo, p, 4);
        memcpy(&hi, p + 4, 4);
        lo ^= c; /* little-endian hosts only (the module refuses to load on others) */
        c = crc_table[7][lo & 0xFF] ^ crc_table[6][(lo >> 8) & 0xFF] ^ crc_table[5][(lo >> 16) & 0xFF] ^
            crc_table[4][lo >> 24] ^ crc_table[3][hi & 0xFF] ^ crc_table[2][(hi >> 8) & 0xFF] ^
            crc_table[1][(hi >> 16) & 0xFF] ^ crc_table[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n--) c = crc_table[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

#ifdef HAVE_SSE42_BUILD
__attribute__((target("sse4.2"))) static uint32_t crc_hardware(const uint8_t *p, size_t n) {
    uint64_t c = 0xFFFFFFFFu;
#if defined(__x86_64__)
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = _mm_crc32_u64(c, w);
        p += 8;
        n -= 8;
    }
#endif
    uint32_t c32 = (uint32_t)c;
    while (n--) c32 = _mm_crc32_u8(c32, *p++);
    return c32 ^ 0xFFFFFFFFu;
}
#endif

static uint32_t crc32c(const uint8_t *p, size_t n) {
#ifdef HAVE_SSE42_BUILD
    if (have_sse42) return crc_hardware(p, n);
#endif
    return crc_table_driven(p, n);
}

static uint32_t masked(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u; }

static uint64_t le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--) v = (v << 8) | p[k];
    return v;
}

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static int64_t load_i64(const uint8_t *p) { /* an int64 as the host stores it, at any alignment */
    int64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* ---- growable arrays ---- */

typedef struct {
    char *data;
    ptrdiff_t size, capacity, item;
} Vec;

#define VEC(item) ((Vec){NULL, 0, 0, (item)})
#define VEC_AT(v, type, i) (((type *)(v).data)[i])

static int vec_reserve(Vec *v, ptrdiff_t count) {
    if (v->size + count <= v->capacity) return 0;
    ptrdiff_t cap = v->capacity ? v->capacity : 64;
    while (cap < v->size + count) cap *= 2;
    char *data = realloc(v->data, (size_t)(cap * v->item));
    if (!data) return -1;
    v->data = data;
    v->capacity = cap;
    return 0;
}

static void vec_free(Vec *v) {
    free(v->data);
    v->data = NULL;
    v->size = v->capacity = 0;
}

/* ---- framing ---- */

enum { NO_MEMORY = -1, FRAMED = 0, BAD_LENGTH = 1, BAD_DATA = 2 };

/* The complete records of a[0, n): their starts and data lengths appended to heads and lens
   (int64), *end the offset after the last. Returns FRAMED, BAD_LENGTH or BAD_DATA (the length's
   or the data's checksum of the record at *bad fails), or NO_MEMORY. A truncated last record is
   no problem: it is left for later (a writer may still be adding it). */
static int frame_records(const uint8_t *a, ptrdiff_t n, Vec *heads, Vec *lens, ptrdiff_t *end, ptrdiff_t *bad) {
    ptrdiff_t pos = 0;
    int problem = FRAMED;
    *bad = -1;
    while (pos + 12 <= n) {
        if (masked(crc32c(a + pos, 8)) != le32(a + pos + 8)) {
            problem = BAD_LENGTH;
            *bad = pos;
            break;
        }
        uint64_t length = le64(a + pos);
        if (n - pos < 16 || length > (uint64_t)(n - pos - 16)) break; /* truncated: read later */
        const uint8_t *data = a + pos + 12;
        if (masked(crc32c(data, (size_t)length)) != le32(data + length)) {
            problem = BAD_DATA;
            *bad = pos;
            break;
        }
        if (vec_reserve(heads, 1) || vec_reserve(lens, 1)) {
            problem = NO_MEMORY;
            break;
        }
        VEC_AT(*heads, int64_t, heads->size++) = pos;
        VEC_AT(*lens, int64_t, lens->size++) = (int64_t)length;
        pos += (ptrdiff_t)length + 16;
    }
    *end = pos;
    return problem;
}

/* ---- decoding ---- */

enum { DT_FLOAT = 1, DT_DOUBLE = 2, DT_INT32 = 3, DT_INT64 = 9, DT_BFLOAT16 = 14, DT_HALF = 19 };
#define MAX_VALUES 4096

static int varint(const uint8_t *a, ptrdiff_t *p, ptrdiff_t end, uint64_t *out) {
    uint64_t v = 0;
    for (int k = 0; k < 10; k++) {
        if (*p >= end) return 0;
        uint8_t b = a[(*p)++];
        v |= (uint64_t)(b & 0x7F) << (7 * k);
        if (!(b & 0x80)) {
            *out = v;
            return 1;
        }
    }
    return 0;
}

static double half_to_double(uint16_t h) {
    int sign = h >> 15, exp = (h >> 10) & 0x1F, frac = h & 0x3FF;
    double v;
    if (exp == 0)
        v = ldexp((double)frac, -24);
    else if (exp == 31)
        v = frac ? NAN : INFINITY;
    else
        v = ldexp((double)(frac | 0x400), exp - 25);
    return sign ? -v : v;
}

/* A length-delimited field whose key is at *q (bounded by end): its body is [*body, *body + *size)
   and *q moves past it; 0 when it does not fit. */
static int delimited(const uint8_t *a, ptrdiff_t *q, ptrdiff_t end, ptrdiff_t *body, ptrdiff_t *size) {
    uint64_t n;
    (*q)++;
    if (!varint(a, q, end, &n) || n > (uint64_t)(end - *q)) return 0;
    *body = *q;
    *size = (ptrdiff_t)n;
    *q += *size;
    return 1;
}

typedef struct {
    ptrdiff_t tag_start, tag_len, meta_start, meta_len;
    double value;
    int simple, keep;
} Value;

/* One Summary.Value in [q, end): 1 when it has this layout (filled in `out`), else 0. */
static int decode_value(const uint8_t *a, ptrdiff_t q, ptrdiff_t end, Value *out) {
    ptrdiff_t tag_start = -1, tag_len = 0, meta_start = -1, meta_len = 0;
    ptrdiff_t simple_at = -1, tensor_start = -1, tensor_end = -1;
    int skip = 0, fields = 0;
    ptrdiff_t body, size;
    while (q < end) {
        if (++fields > 6) return 0;
        uint8_t t = a[q];
        int wire = t & 7, field = t >> 3;
        if (t >= 0x80) return 0;
        if (wire == 2) {
            if (!delimited(a, &q, end, &body, &size)) return 0;
            if (field == 1) {
                tag_start = body;
                tag_len = size;
            } else if (field == 9) {
                meta_start = body;
                meta_len = size;
            } else if (field == 8) {
                tensor_start = body;
                tensor_end = q;
            } else if (field == 4 || field == 5 || field == 6) {
                skip = 1; /* an image, histogram or audio */
            } else {
                return 0;
            }
        } else if (wire == 5 && field == 2) {
            if (end - q < 5) return 0;
            simple_at = q + 1;
            q += 5;
        } else {
            return 0;
        }
    }
    if (tag_start < 0) return 0;
    int simple = !skip && simple_at >= 0;
    if (!(skip || (simple ^ (tensor_start >= 0)))) return 0;
    out->tag_start = tag_start;
    out->tag_len = tag_len;
    out->meta_start = meta_start;
    out->meta_len = meta_len;
    out->simple = simple;
    out->keep = !skip;
    if (skip) return 1;
    if (simple) {
        float f;
        memcpy(&f, a + simple_at, 4);
        out->value = f;
        return 1;
    }
    /* The TensorProto: dtype, an empty shape (rank 0), content or one *_val. */
    uint64_t dtype = 0;
    ptrdiff_t val_at = -1, val_len = 0;
    int val_field = 0, shaped = 0;
    q = tensor_start;
    fields = 0;
    while (q < tensor_end) {
        if (++fields > 5) return 0;
        uint8_t t = a[q];
        int wire = t & 7, field = t >> 3;
        if (t >= 0x80) return 0;
        if (wire == 0) {
            uint64_t v;
            q++;
            if (!varint(a, &q, tensor_end, &v)) return 0;
            if (field == 1)
                dtype = v;
            else if (field != 3) /* version_number */
                return 0;
        } else if (wire == 2) {
            if (!delimited(a, &q, tensor_end, &body, &size)) return 0;
            if (field == 2) {
                shaped |= size > 0;
            } else if (field == 8 || (field == 4 && size > 8)) {
                out->keep = 0; /* strings, or more than 8 bytes: not a numeric scalar */
                return 1;
            } else if (field == 4 || field == 5 || field == 6) {
                val_at = body;
                val_len = size;
                val_field = field;
            } else {
                return 0;
            }
        } else if (wire == 5 && field == 5) {
            if (tensor_end - q < 5) return 0;
            val_at = q + 1;
            val_len = 4;
            val_field = 5;
            q += 5;
        } else if (wire == 1 && field == 6) {
            if (tensor_end - q < 9) return 0;
            val_at = q + 1;
            val_len = 8;
            val_field = 6;
            q += 9;
        } else {
            return 0;
        }
    }
    if (val_at < 0 || shaped) return 0;
    const uint8_t *v = a + val_at;
    int content = val_field == 4;
    if (dtype == DT_FLOAT && val_len == 4 && (content || val_field == 5)) {
        float f;
        memcpy(&f, v, 4);
        out->value = f;
    } else if (dtype == DT_DOUBLE && val_len == 8 && (content || val_field == 6)) {
        memcpy(&out->value, v, 8);
    } else if (dtype == DT_INT32 && val_len == 4 && content) {
        out->value = (double)(int32_t)le32(v);
    } else if (dtype == DT_INT64 && val_len == 8 && content) {
        out->value = (double)(int64_t)le64(v);
    } else if (dtype == DT_HALF && val_len == 2 && content) {
        out->value = half_to_double((uint16_t)(v[0] | (v[1] << 8)));
    } else if (dtype == DT_BFLOAT16 && val_len == 2 && content) {
        uint32_t bits = (uint32_t)(v[0] | (v[1] << 8)) << 16;
        float f;
        memcpy(&f, &bits, 4);
        out->value = f;
    } else {
        return 0;
    }
    return 1;
}

/* ---- the tag table ---- */

/* SipHash-1-3 of p[0, n) under a 128-bit key. The tags come from the file: under a hash anyone
   can compute, a crafted file puts every tag in one probe chain and the table takes quadratic
   time; the caller draws a new random key for each call. */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = ROTL(v1, 13);                                                                         \
        v1 ^= v0;                                                                                  \
        v0 = ROTL(v0, 32);                                                                         \
        v2 += v3;                                                                                  \
        v3 = ROTL(v3, 16);                                                                         \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = ROTL(v3, 21);                                                                         \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = ROTL(v1, 17);                                                                         \
        v1 ^= v2;                                                                                  \
        v2 = ROTL(v2, 32);                                                                         \
    } while (0)

static uint64_t siphash13(uint64_t k0, uint64_t k1, const uint8_t *p, size_t n) {
    uint64_t v0 = k0 ^ 0x736f6d6570736575ull, v1 = k1 ^ 0x646f72616e646f6dull;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ull, v3 = k1 ^ 0x7465646279746573ull;
    const uint8_t *end = p + (n & ~(size_t)7);
    for (; p != end; p += 8) {
        uint64_t m = le64(p);
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    uint64_t last = (uint64_t)n << 56;
    for (size_t k = 0; k < (n & 7); k++) last |= (uint64_t)p[k] << (8 * k);
    v3 ^= last;
    SIPROUND;
    v0 ^= last;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

/* Distinct tags in order of first appearance: an open-addressing table of their ids, and in front
   of it a small cache of recent ones (a file's few tags recur, record after record) that spares
   the hash. The cache is indexed without the key; a file crafted against it only makes it miss,
   at the cost of one comparison. */
#define RECENT 64

typedef struct {
    const uint8_t *a;
    uint64_t k0, k1;
    Vec starts, lens, hashes; /* per id: the first value's tag bytes (int64), their hash (uint64) */
    int32_t *slots;
    ptrdiff_t mask;
    int32_t recent[RECENT];
} Tags;

static int tags_init(Tags *t, const uint8_t *a, const uint8_t key[16]) {
    *t = (Tags){a, le64(key), le64(key + 8), VEC(8), VEC(8), VEC(8), malloc(sizeof(int32_t) * 16), 15, {0}};
    for (int i = 0; i < RECENT; i++) t->recent[i] = -1;
    if (!t->slots) return NO_MEMORY;
    for (int i = 0; i < 16; i++) t->slots[i] = -1;
    return 0;
}

static void tags_free(Tags *t) {
    vec_free(&t->starts);
    vec_free(&t->lens);
    vec_free(&t->hashes);
    free(t->slots);
    t->slots = NULL;
}

static int32_t tag_lookup(Tags *t, ptrdiff_t start, ptrdiff_t len);

/* The id of the tag a[start, start + len), a new one when it is new; -1 when out of memory. */
static int32_t tag_id(Tags *t, ptrdiff_t start, ptrdiff_t len) {
    const uint8_t *tag = t->a + start;
    int32_t *recent = &t->recent[(len + (len ? 3 * tag[len - 1] + tag[len / 2] : 0)) & (RECENT - 1)];
    int32_t id = *recent;
    if (id >= 0 && VEC_AT(t->lens, int64_t, id) == len &&
        memcmp(t->a + VEC_AT(t->starts, int64_t, id), tag, (size_t)len) == 0)
        return id;
    id = tag_lookup(t, start, len);
    *recent = id;
    return id;
}

/* tag_id without the cache. */
static int32_t tag_lookup(Tags *t, ptrdiff_t start, ptrdiff_t len) {
    if ((t->starts.size + 1) * 2 > t->mask + 1) { /* grow: keep the load under 1/2 */
        if (t->mask + 1 > INT32_MAX / 2) return -1;
        ptrdiff_t size = (t->mask + 1) * 2;
        int32_t *slots = malloc(sizeof(int32_t) * (size_t)size);
        if (!slots) return -1;
        for (ptrdiff_t i = 0; i < size; i++) slots[i] = -1;
        for (ptrdiff_t id = 0; id < t->starts.size; id++) {
            ptrdiff_t i = (ptrdiff_t)(VEC_AT(t->hashes, uint64_t, id) & (uint64_t)(size - 1));
            while (slots[i] >= 0) i = (i + 1) & (size - 1);
            slots[i] = (int32_t)id;
        }
        free(t->slots);
        t->slots = slots;
        t->mask = size - 1;
    }
    uint64_t hash = siphash13(t->k0, t->k1, t->a + start, (size_t)len);
    ptrdiff_t i = (ptrdiff_t)(hash & (uint64_t)t->mask);
    while (t->slots[i] >= 0) {
        int32_t id = t->slots[i];
        ptrdiff_t s = VEC_AT(t->starts, int64_t, id), l = VEC_AT(t->lens, int64_t, id);
        if (l == len && VEC_AT(t->hashes, uint64_t, id) == hash && memcmp(t->a + s, t->a + start, (size_t)len) == 0)
            return id;
        i = (i + 1) & t->mask;
    }
    if (vec_reserve(&t->starts, 1) || vec_reserve(&t->lens, 1) || vec_reserve(&t->hashes, 1)) return -1;
    int32_t id = (int32_t)t->starts.size;
    VEC_AT(t->starts, int64_t, t->starts.size++) = start;
    VEC_AT(t->lens, int64_t, t->lens.size++) = len;
    VEC_AT(t->hashes, uint64_t, t->hashes.size++) = hash;
    t->slots[i] = id;
    return id;
}

/* ---- decoding records ---- */

enum { RECORD, WALL, STEP, VALUE, TAG_START, TAG_LEN, META_START, META_LEN, SIMPLE, TAG_ID, N_OUT };
static const ptrdiff_t OUT_ITEM[N_OUT] = {8, 8, 8, 8, 8, 8, 8, 8, 1, 4};
enum { OUTSIDE = 2 };

typedef struct {
    Vec ok, other;  /* per record (uint8): decoded here; holds no summary */
    Vec out[N_OUT]; /* per value kept, by the enum above (RECORD: the index of its record) */
    Tags tags;      /* the distinct tags; out[TAG_ID] indexes them */
} Decoding;

static void decoding_free(Decoding *d) {
    vec_free(&d->ok);
    vec_free(&d->other);
    for (int k = 0; k < N_OUT; k++) vec_free(&d->out[k]);
    tags_free(&d->tags);
}

/* Decode the n records at the int64 offsets starts[] and lengths[] (bytes, any alignment) of
   a[0, len), the tag table keyed by `key`. Returns 0, OUTSIDE (a record lies outside the
   buffer) or NO_MEMORY; `d` is filled in either way (decoding_free releases it). */
static int decode_records(const uint8_t *a, ptrdiff_t len, const uint8_t *starts, const uint8_t *lengths,
                          ptrdiff_t n_records, const uint8_t key[16], Decoding *d) {
    d->ok = VEC(1);
    d->other = VEC(1);
    for (int k = 0; k < N_OUT; k++) d->out[k] = VEC(OUT_ITEM[k]);
    int failed = tags_init(&d->tags, a, key);
    Value *values = malloc(sizeof(Value) * MAX_VALUES);
    failed = failed || !values || vec_reserve(&d->ok, n_records) || vec_reserve(&d->other, n_records);
    for (int k = 0; k < N_OUT && !failed; k++) failed = vec_reserve(&d->out[k], n_records); /* a value each, usually */
    Vec *out = d->out;
    for (ptrdiff_t r = 0; r < n_records && !failed; r++) {
        int64_t start = load_i64(starts + 8 * r), length = load_i64(lengths + 8 * r);
        if (start < 0 || length < 0 || start > len || length > len - start) {
            failed = OUTSIDE;
            break;
        }
        ptrdiff_t s = (ptrdiff_t)start, e = s + (ptrdiff_t)length;
        int rec_ok = 0, rec_other = 0, count = 0;
        uint64_t step_raw = 0, size;
        double wall = 0;
        if (length > 12 && a[s] == 0x09) {
            ptrdiff_t p = s + 9;
            int good = 1;
            memcpy(&wall, a + s + 1, 8);
            if (a[p] == 0x10) {
                p++;
                good = varint(a, &p, e, &step_raw);
            }
            if (good && p < e && (a[p] == 0x1A || a[p] == 0x22 || a[p] == 0x32 || a[p] == 0x3A ||
                                  a[p] == 0x42 || a[p] == 0x4A)) {
                rec_other = 1; /* file version, graph, session log, run metadata, meta graph */
                good = 0;
            }
            good = good && p < e && a[p] == 0x2A;
            if (good) {
                p++;
                good = varint(a, &p, e, &size) && size == (uint64_t)(e - p); /* summary: the last field */
            }
            while (good && p < e) { /* the summary's values */
                ptrdiff_t body, vlen;
                good = a[p] == 0x0A && count < MAX_VALUES && delimited(a, &p, e, &body, &vlen) &&
                       decode_value(a, body, body + vlen, &values[count++]);
            }
            rec_ok = good;
        }
        VEC_AT(d->ok, uint8_t, d->ok.size++) = (uint8_t)rec_ok;
        VEC_AT(d->other, uint8_t, d->other.size++) = (uint8_t)rec_other;
        if (!rec_ok) continue;
        for (int i = 0; i < count && !failed; i++) {
            Value *v = &values[i];
            if (!v->keep) continue;
            for (int k = 0; k < N_OUT; k++) failed |= vec_reserve(&out[k], 1);
            if (failed) break;
            int32_t id = tag_id(&d->tags, v->tag_start, v->tag_len);
            if (id < 0) {
                failed = 1;
                break;
            }
            ptrdiff_t j = out[0].size;
            VEC_AT(out[RECORD], int64_t, j) = r;
            VEC_AT(out[WALL], double, j) = wall;
            VEC_AT(out[STEP], int64_t, j) = (int64_t)step_raw;
            VEC_AT(out[VALUE], double, j) = v->value;
            VEC_AT(out[TAG_START], int64_t, j) = v->tag_start;
            VEC_AT(out[TAG_LEN], int64_t, j) = v->tag_len;
            VEC_AT(out[META_START], int64_t, j) = v->meta_start;
            VEC_AT(out[META_LEN], int64_t, j) = v->meta_len;
            VEC_AT(out[SIMPLE], uint8_t, j) = (uint8_t)v->simple;
            VEC_AT(out[TAG_ID], int32_t, j) = id;
            for (int k = 0; k < N_OUT; k++) out[k].size++;
        }
    }
    free(values);
    return failed == OUTSIDE ? OUTSIDE : failed ? NO_MEMORY : 0;
}

/* The values grouped by tag. Tag k's values are perm[bounds[k]:bounds[k + 1]] (int64) in record
   order; first_meta[k] is the position (in perm) of its first value with metadata, or -1;
   n_simple[k] counts its simple_values. */
typedef struct {
    Vec perm;
    ptrdiff_t *bounds, *first_meta, *n_simple; /* n_tags + 1, n_tags and n_tags items */
} Groups;

static void groups_free(Groups *g) {
    vec_free(&g->perm);
    free(g->bounds);
    g->bounds = g->first_meta = g->n_simple = NULL;
}

static int group_by_tag(const Decoding *d, Groups *g) {
    const Vec *out = d->out;
    ptrdiff_t n = out[RECORD].size, n_tags = d->tags.starts.size;
    g->perm = VEC(8);
    g->bounds = calloc((size_t)(3 * n_tags + 1), sizeof(ptrdiff_t));
    g->first_meta = g->bounds ? g->bounds + n_tags + 1 : NULL;
    g->n_simple = g->bounds ? g->first_meta + n_tags : NULL;
    ptrdiff_t *next = malloc(sizeof(ptrdiff_t) * (size_t)(n_tags + 1));
    if (!g->bounds || !next || vec_reserve(&g->perm, n)) {
        free(next);
        return NO_MEMORY;
    }
    ptrdiff_t *bounds = g->bounds, *first_meta = g->first_meta, *n_simple = g->n_simple;
    for (ptrdiff_t j = 0; j < n; j++) bounds[VEC_AT(out[TAG_ID], int32_t, j) + 1]++;
    for (ptrdiff_t k = 0; k < n_tags; k++) {
        bounds[k + 1] += bounds[k];
        next[k] = bounds[k];
        first_meta[k] = -1;
    }
    for (ptrdiff_t j = 0; j < n; j++) {
        int32_t id = VEC_AT(out[TAG_ID], int32_t, j);
        ptrdiff_t i = next[id]++;
        VEC_AT(g->perm, int64_t, i) = j;
        if (first_meta[id] < 0 && VEC_AT(out[META_START], int64_t, j) >= 0) first_meta[id] = i;
        n_simple[id] += VEC_AT(out[SIMPLE], uint8_t, j);
    }
    g->perm.size = n;
    free(next);
    return 0;
}

/* ---- the Python module (limited API) ---- */

#ifndef LRDESIGNER_NATIVE_NO_PYTHON

/* The array as bytes; its memory is freed at once (the copies are made one at a time). */
static PyObject *vec_bytes(Vec *v) {
    PyObject *bytes = PyBytes_FromStringAndSize(v->data ? v->data : "", v->size * v->item);
    vec_free(v);
    return bytes;
}

static PyObject *int_list(const ptrdiff_t *items, ptrdiff_t n) {
    PyObject *list = PyList_New(n);
    for (ptrdiff_t i = 0; list && i < n; i++) {
        PyObject *item = PyLong_FromSsize_t(items[i]);
        if (!item || PyList_SetItem(list, i, item) < 0) Py_CLEAR(list);
    }
    return list;
}

/* tuple[i] = item, taking the reference; -1 (an exception set) when item is NULL. */
static int put(PyObject *tuple, Py_ssize_t i, PyObject *item) { return item ? PyTuple_SetItem(tuple, i, item) : -1; }

/* frame(buf) -> (heads, lengths, end, bad_offset, problem): see frame_records; heads and lengths
   as int64 bytes, problem 0 (none), 1 (a length's checksum fails at bad_offset) or 2 (the data's
   checksum of the record at bad_offset fails). */
static PyObject *frame(PyObject *self, PyObject *args) {
    const char *buf;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "y#", &buf, &n)) return NULL;
    Vec heads = VEC(8), lens = VEC(8);
    ptrdiff_t end, bad;
    int problem;
    Py_BEGIN_ALLOW_THREADS
    problem = frame_records((const uint8_t *)buf, n, &heads, &lens, &end, &bad);
    Py_END_ALLOW_THREADS
    PyObject *result = NULL;
    if (problem == NO_MEMORY) {
        PyErr_NoMemory();
    } else {
        PyObject *h = vec_bytes(&heads), *l = vec_bytes(&lens);
        if (h && l) result = Py_BuildValue("(OOnni)", h, l, (Py_ssize_t)end, (Py_ssize_t)bad, problem);
        Py_XDECREF(h);
        Py_XDECREF(l);
    }
    vec_free(&heads);
    vec_free(&lens);
    return result;
}

/* The decoder's results as Python objects (its arrays' memory freed on the way). */
static PyObject *decoding_result(const uint8_t *a, Decoding *d, Groups *g) {
    PyObject *items = PyTuple_New(N_OUT + 4), *names = NULL, *groups;
    if (!items) return NULL;
    ptrdiff_t n_tags = d->tags.starts.size;
    int bad = put(items, 0, vec_bytes(&d->ok)) || put(items, 1, vec_bytes(&d->other));
    for (int k = 0; k < N_OUT && !bad; k++) bad = put(items, k + 2, vec_bytes(&d->out[k]));
    bad = bad || !(names = PyList_New(n_tags));
    for (ptrdiff_t id = 0; !bad && id < n_tags; id++) {
        ptrdiff_t s = VEC_AT(d->tags.starts, int64_t, id), l = VEC_AT(d->tags.lens, int64_t, id);
        PyObject *name = PyBytes_FromStringAndSize((const char *)a + s, l);
        bad = !name || PyList_SetItem(names, id, name) < 0;
    }
    if (bad) {
        Py_XDECREF(names);
    } else {
        bad = put(items, N_OUT + 2, names); /* the tuple takes it */
    }
    if (!bad) {
        groups = PyTuple_New(4);
        bad = !groups || put(groups, 0, vec_bytes(&g->perm)) || put(groups, 1, int_list(g->bounds, n_tags + 1)) ||
              put(groups, 2, int_list(g->first_meta, n_tags)) || put(groups, 3, int_list(g->n_simple, n_tags));
        if (bad)
            Py_XDECREF(groups);
        else
            bad = put(items, N_OUT + 3, groups);
    }
    if (bad) Py_CLEAR(items);
    return items;
}

/* decode(buf, starts, lengths, key): see decode_records and group_by_tag. */
static PyObject *decode(PyObject *self, PyObject *args) {
    const char *buf, *starts, *lengths, *key;
    Py_ssize_t n, n_starts, n_lengths, n_key;
    if (!PyArg_ParseTuple(args, "y#y#y#y#", &buf, &n, &starts, &n_starts, &lengths, &n_lengths, &key, &n_key))
        return NULL;
    if (n_starts != n_lengths || n_starts % 8) {
        PyErr_SetString(PyExc_ValueError, "starts and lengths must be int64 arrays of one length");
        return NULL;
    }
    if (n_key != 16) {
        PyErr_SetString(PyExc_ValueError, "the key must be 16 bytes");
        return NULL;
    }
    Decoding d;
    Groups g = {VEC(8), NULL, NULL, NULL};
    int failed;
    Py_BEGIN_ALLOW_THREADS
    failed = decode_records((const uint8_t *)buf, n, (const uint8_t *)starts, (const uint8_t *)lengths,
                            n_starts / 8, (const uint8_t *)key, &d);
    if (!failed) failed = group_by_tag(&d, &g);
    Py_END_ALLOW_THREADS
    PyObject *result = NULL;
    if (failed == OUTSIDE)
        PyErr_SetString(PyExc_ValueError, "a record lies outside the buffer");
    else if (failed)
        PyErr_NoMemory();
    else
        result = decoding_result((const uint8_t *)buf, &d, &g);
    decoding_free(&d);
    groups_free(&g);
    return result;
}

static PyObject *crc(PyObject *self, PyObject *args) {
    const char *data;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "y#", &data, &n)) return NULL;
    return PyLong_FromUnsignedLong(crc32c((const uint8_t *)data, (size_t)n));
}

static PyMethodDef methods[] = {
    {"frame", frame, METH_VARARGS,
     "frame(buf) -> (heads, lengths, end, bad_offset, problem): complete records, checksums verified"},
    {"decode", decode, METH_VARARGS,
     "decode(buf, starts, lengths, key) -> (ok, other, record, wall, step, value, tag_start, tag_len, "
     "meta_start, meta_len, simple, tag_id, tags, (perm, bounds, first_meta, n_simple)); starts and "
     "lengths as int64 bytes, key: 16 random bytes for the tag table's hash"},
    {"crc32c", crc, METH_VARARGS, "crc32c(data) -> the CRC-32C of data"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", NULL, -1, methods};

PyMODINIT_FUNC PyInit__native(void) {
    uint16_t one = 1;
    if (*(uint8_t *)&one != 1) { /* values are copied as stored (little-endian): numpy's reader is used */
        PyErr_SetString(PyExc_ImportError, "lrdesigner.logs._native reads little-endian hosts only");
        return NULL;
    }
    crc_init();
    return PyModule_Create(&module);
}

#endif /* LRDESIGNER_NATIVE_NO_PYTHON */
