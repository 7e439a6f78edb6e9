/* Compiled framing and scalar decoding of TensorBoard event files.

   The same work as `records.frame` and `events_fast.decode` (whose docstrings define the
   layout and the results), one pass per record instead of numpy's passes over all records:
   numpy's fixed costs per operation dominate files of a few thousand records, which are most
   files. Optional: without a compiler the package uses the numpy path. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
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

static int little_endian(void) {
    uint16_t x = 1;
    return *(uint8_t *)&x == 1;
}

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

/* ---- growable arrays ---- */

typedef struct {
    char *data;
    Py_ssize_t size, capacity, item;
} Vec;

static int vec_reserve(Vec *v, Py_ssize_t count) {
    if (v->size + count <= v->capacity) return 0;
    Py_ssize_t cap = v->capacity ? v->capacity : 64;
    while (cap < v->size + count) cap *= 2;
    char *data = realloc(v->data, (size_t)(cap * v->item));
    if (!data) return -1;
    v->data = data;
    v->capacity = cap;
    return 0;
}

/* The array as bytes; its memory is freed at once (the copies are made one at a time). */
static PyObject *vec_bytes(Vec *v) {
    PyObject *bytes = PyBytes_FromStringAndSize(v->data ? v->data : "", v->size * v->item);
    free(v->data);
    v->data = NULL;
    v->size = v->capacity = 0;
    return bytes;
}

#define VEC_AT(v, type, i) (((type *)(v).data)[i])

/* ---- frame(buf) -> (heads, lengths, end, bad_offset, problem) ----
   heads/lengths: int64 bytes of the complete records' starts and data lengths; end: the offset
   after the last; problem 0 (none), 1 (a length's checksum fails at bad_offset), 2 (the data's
   checksum of the record at bad_offset fails). */

static PyObject *frame(PyObject *self, PyObject *args) {
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "y*", &view)) return NULL;
    const uint8_t *a = view.buf;
    Py_ssize_t n = view.len, pos = 0, bad = -1;
    int problem = 0;
    Vec heads = {NULL, 0, 0, sizeof(int64_t)}, lens = {NULL, 0, 0, sizeof(int64_t)};
    Py_BEGIN_ALLOW_THREADS
    while (pos + 12 <= n) {
        if (masked(crc32c(a + pos, 8)) != le32(a + pos + 8)) {
            problem = 1;
            bad = pos;
            break;
        }
        uint64_t length = le64(a + pos);
        if (n - pos < 16 || length > (uint64_t)(n - pos - 16)) break; /* truncated: read later */
        const uint8_t *data = a + pos + 12;
        if (masked(crc32c(data, (size_t)length)) != le32(data + length)) {
            problem = 2;
            bad = pos;
            break;
        }
        if (vec_reserve(&heads, 1) || vec_reserve(&lens, 1)) {
            problem = -1;
            break;
        }
        VEC_AT(heads, int64_t, heads.size++) = pos;
        VEC_AT(lens, int64_t, lens.size++) = (int64_t)length;
        pos += (Py_ssize_t)length + 16;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    PyObject *result = NULL;
    if (problem == -1) {
        PyErr_NoMemory();
    } else {
        PyObject *h = vec_bytes(&heads), *l = vec_bytes(&lens);
        if (h && l) result = Py_BuildValue("(OOnni)", h, l, pos, bad, problem);
        Py_XDECREF(h);
        Py_XDECREF(l);
    }
    free(heads.data);
    free(lens.data);
    return result;
}

/* ---- decode(buf, starts, lengths) ---- */

enum { DT_FLOAT = 1, DT_DOUBLE = 2, DT_INT32 = 3, DT_INT64 = 9, DT_BFLOAT16 = 14, DT_HALF = 19 };
#define MAX_VALUES 4096

static int varint(const uint8_t *a, Py_ssize_t *p, Py_ssize_t end, uint64_t *out) {
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
static int delimited(const uint8_t *a, Py_ssize_t *q, Py_ssize_t end, Py_ssize_t *body, Py_ssize_t *size) {
    uint64_t n;
    (*q)++;
    if (!varint(a, q, end, &n) || n > (uint64_t)(end - *q)) return 0;
    *body = *q;
    *size = (Py_ssize_t)n;
    *q += *size;
    return 1;
}

typedef struct {
    Py_ssize_t tag_start, tag_len, meta_start, meta_len;
    double value;
    int simple, keep;
} Value;

/* One Summary.Value in [q, end): 1 when it has this layout (filled in `out`), else 0. */
static int decode_value(const uint8_t *a, Py_ssize_t q, Py_ssize_t end, Value *out) {
    Py_ssize_t tag_start = -1, tag_len = 0, meta_start = -1, meta_len = 0;
    Py_ssize_t simple_at = -1, tensor_start = -1, tensor_end = -1;
    int skip = 0, fields = 0;
    Py_ssize_t body, size;
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
    Py_ssize_t val_at = -1, val_len = 0;
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

/* Distinct tags in order of first appearance: an open-addressing table of their ids. */
typedef struct {
    const uint8_t *a;
    Vec starts, lens; /* per id: the first value's tag bytes */
    int32_t *slots;
    Py_ssize_t mask;
} Tags;

static uint64_t hash_bytes(const uint8_t *p, Py_ssize_t n) {
    uint64_t h = 1469598103934665603ull;
    for (Py_ssize_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static int32_t tag_id(Tags *t, Py_ssize_t start, Py_ssize_t len) {
    if ((t->starts.size + 1) * 2 > t->mask + 1) { /* grow: keep the load under 1/2 */
        Py_ssize_t size = (t->mask + 1) * 2;
        int32_t *slots = malloc(sizeof(int32_t) * (size_t)size);
        if (!slots) return -1;
        for (Py_ssize_t i = 0; i < size; i++) slots[i] = -1;
        for (Py_ssize_t id = 0; id < t->starts.size; id++) {
            Py_ssize_t s = VEC_AT(t->starts, int64_t, id), l = VEC_AT(t->lens, int64_t, id);
            Py_ssize_t i = (Py_ssize_t)(hash_bytes(t->a + s, l) & (uint64_t)(size - 1));
            while (slots[i] >= 0) i = (i + 1) & (size - 1);
            slots[i] = (int32_t)id;
        }
        free(t->slots);
        t->slots = slots;
        t->mask = size - 1;
    }
    Py_ssize_t i = (Py_ssize_t)(hash_bytes(t->a + start, len) & (uint64_t)t->mask);
    while (t->slots[i] >= 0) {
        int32_t id = t->slots[i];
        Py_ssize_t s = VEC_AT(t->starts, int64_t, id), l = VEC_AT(t->lens, int64_t, id);
        if (l == len && memcmp(t->a + s, t->a + start, (size_t)len) == 0) return id;
        i = (i + 1) & t->mask;
    }
    if (vec_reserve(&t->starts, 1) || vec_reserve(&t->lens, 1)) return -1;
    int32_t id = (int32_t)t->starts.size;
    VEC_AT(t->starts, int64_t, t->starts.size++) = start;
    VEC_AT(t->lens, int64_t, t->lens.size++) = len;
    t->slots[i] = id;
    return id;
}

enum { RECORD, WALL, STEP, VALUE, TAG_START, TAG_LEN, META_START, META_LEN, SIMPLE, TAG_ID, N_OUT };

static PyObject *int_list(const Py_ssize_t *items, Py_ssize_t n) {
    PyObject *list = PyList_New(n);
    for (Py_ssize_t i = 0; list && i < n; i++) {
        PyObject *item = PyLong_FromSsize_t(items[i]);
        if (!item) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return list;
}

/* The values grouped by tag: (perm, bounds, first_meta, n_simple). Tag k's values are
   perm[bounds[k]:bounds[k + 1]] in record order; first_meta[k] is the position (in perm) of its
   first value with metadata, or -1; n_simple[k] counts its simple_values. */
static PyObject *group_by_tag(Vec *out, Py_ssize_t n_tags) {
    Py_ssize_t n = out[RECORD].size;
    Py_ssize_t *bounds = calloc((size_t)(3 * n_tags + 1), sizeof(Py_ssize_t));
    Py_ssize_t *first_meta = bounds ? bounds + n_tags + 1 : NULL, *n_simple = bounds ? first_meta + n_tags : NULL;
    Py_ssize_t *next = malloc(sizeof(Py_ssize_t) * (size_t)(n_tags + 1));
    Vec perm = {NULL, 0, 0, sizeof(int64_t)};
    PyObject *result = NULL;
    if (!bounds || !next || vec_reserve(&perm, n)) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t j = 0; j < n; j++) bounds[VEC_AT(out[TAG_ID], int32_t, j) + 1]++;
    for (Py_ssize_t k = 0; k < n_tags; k++) {
        bounds[k + 1] += bounds[k];
        next[k] = bounds[k];
        first_meta[k] = -1;
    }
    for (Py_ssize_t j = 0; j < n; j++) {
        int32_t id = VEC_AT(out[TAG_ID], int32_t, j);
        Py_ssize_t i = next[id]++;
        VEC_AT(perm, int64_t, i) = j;
        if (first_meta[id] < 0 && VEC_AT(out[META_START], int64_t, j) >= 0) first_meta[id] = i;
        n_simple[id] += VEC_AT(out[SIMPLE], uint8_t, j);
    }
    perm.size = n;
    PyObject *p = vec_bytes(&perm), *b = int_list(bounds, n_tags + 1);
    PyObject *m = int_list(first_meta, n_tags), *c = int_list(n_simple, n_tags);
    if (p && b && m && c) result = PyTuple_Pack(4, p, b, m, c);
    Py_XDECREF(p);
    Py_XDECREF(b);
    Py_XDECREF(m);
    Py_XDECREF(c);
done:
    free(bounds);
    free(next);
    free(perm.data);
    return result;
}

static PyObject *decode(PyObject *self, PyObject *args) {
    Py_buffer buf, starts_view, lengths_view;
    if (!PyArg_ParseTuple(args, "y*y*y*", &buf, &starts_view, &lengths_view)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t n_records = starts_view.len / (Py_ssize_t)sizeof(int64_t);
    const uint8_t *a = buf.buf;
    const int64_t *starts = starts_view.buf, *lengths = lengths_view.buf;
    Py_ssize_t item[N_OUT] = {8, 8, 8, 8, 8, 8, 8, 8, 1, 4};
    Vec out[N_OUT];
    for (int k = 0; k < N_OUT; k++) out[k] = (Vec){NULL, 0, 0, item[k]};
    Vec ok = {NULL, 0, 0, 1}, other = {NULL, 0, 0, 1};
    Tags tags = {a, {NULL, 0, 0, 8}, {NULL, 0, 0, 8}, NULL, -1};
    Value *values = malloc(sizeof(Value) * MAX_VALUES);
    int failed = !values || lengths_view.len != starts_view.len || vec_reserve(&ok, n_records) ||
                 vec_reserve(&other, n_records);
    for (int k = 0; k < N_OUT && !failed; k++) failed = vec_reserve(&out[k], n_records); /* a value each, usually */
    if (!failed) {
        tags.slots = malloc(sizeof(int32_t) * 16);
        failed = !tags.slots;
        if (!failed) {
            for (int i = 0; i < 16; i++) tags.slots[i] = -1;
            tags.mask = 15;
        }
    }
    for (Py_ssize_t r = 0; r < n_records && !failed; r++) {
        if (starts[r] < 0 || lengths[r] < 0 || starts[r] > buf.len || lengths[r] > buf.len - starts[r]) {
            failed = 2;
            break;
        }
        Py_ssize_t s = starts[r], e = s + lengths[r];
        int rec_ok = 0, rec_other = 0, count = 0;
        uint64_t step_raw = 0, size;
        double wall = 0;
        if (lengths[r] > 12 && a[s] == 0x09) {
            Py_ssize_t p = s + 9;
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
                Py_ssize_t body, length;
                good = a[p] == 0x0A && count < MAX_VALUES && delimited(a, &p, e, &body, &length) &&
                       decode_value(a, body, body + length, &values[count++]);
            }
            rec_ok = good;
        }
        VEC_AT(ok, uint8_t, ok.size++) = (uint8_t)rec_ok;
        VEC_AT(other, uint8_t, other.size++) = (uint8_t)rec_other;
        if (!rec_ok) continue;
        for (int i = 0; i < count && !failed; i++) {
            Value *v = &values[i];
            if (!v->keep) continue;
            for (int k = 0; k < N_OUT; k++) failed |= vec_reserve(&out[k], 1);
            if (failed) break;
            int32_t id = tag_id(&tags, v->tag_start, v->tag_len);
            if (id < 0) {
                failed = 1;
                break;
            }
            Py_ssize_t j = out[0].size;
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
    if (failed == 2) {
        PyErr_SetString(PyExc_ValueError, "a record lies outside the buffer");
    } else if (failed) {
        PyErr_NoMemory();
    } else {
        PyObject *items = PyTuple_New(N_OUT + 4);
        PyObject *names = PyList_New(tags.starts.size);
        PyObject *groups = group_by_tag(out, tags.starts.size);
        int bad = !items || !names || !groups;
        for (Py_ssize_t id = 0; !bad && id < tags.starts.size; id++) {
            Py_ssize_t s = VEC_AT(tags.starts, int64_t, id), l = VEC_AT(tags.lens, int64_t, id);
            PyObject *name = PyBytes_FromStringAndSize((const char *)a + s, l);
            bad = !name;
            if (name) PyList_SET_ITEM(names, id, name);
        }
        if (!bad) {
            PyTuple_SET_ITEM(items, 0, vec_bytes(&ok));
            PyTuple_SET_ITEM(items, 1, vec_bytes(&other));
            for (int k = 0; k < N_OUT; k++) PyTuple_SET_ITEM(items, k + 2, vec_bytes(&out[k]));
            PyTuple_SET_ITEM(items, N_OUT + 2, names);
            PyTuple_SET_ITEM(items, N_OUT + 3, groups);
            names = groups = NULL;
            for (Py_ssize_t k = 0; k < N_OUT + 2; k++) bad |= PyTuple_GET_ITEM(items, k) == NULL;
        }
        if (bad) {
            Py_XDECREF(items);
            Py_XDECREF(names);
            Py_XDECREF(groups);
        } else {
            result = items;
        }
    }
    for (int k = 0; k < N_OUT; k++) free(out[k].data);
    free(ok.data);
    free(other.data);
    free(tags.starts.data);
    free(tags.lens.data);
    free(tags.slots);
    free(values);
    PyBuffer_Release(&buf);
    PyBuffer_Release(&starts_view);
    PyBuffer_Release(&lengths_view);
    return result;
}

static PyObject *crc(PyObject *self, PyObject *args) {
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "y*", &view)) return NULL;
    uint32_t c = crc32c(view.buf, (size_t)view.len);
    PyBuffer_Release(&view);
    return PyLong_FromUnsignedLong(c);
}

static PyMethodDef methods[] = {
    {"frame", frame, METH_VARARGS,
     "frame(buf) -> (heads, lengths, end, bad_offset, problem): complete records, checksums verified"},
    {"decode", decode, METH_VARARGS,
     "decode(buf, starts, lengths) -> (ok, other, record, wall, step, value, tag_start, tag_len, "
     "meta_start, meta_len, simple, tag_id, tags, (perm, bounds, first_meta, n_simple))"},
    {"crc32c", crc, METH_VARARGS, "crc32c(data) -> the CRC-32C of data"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", NULL, -1, methods};

PyMODINIT_FUNC PyInit__native(void) {
    if (!little_endian()) { /* values are copied as stored (little-endian): numpy's reader is used */
        PyErr_SetString(PyExc_ImportError, "lrdesigner.logs._native reads little-endian hosts only");
        return NULL;
    }
    crc_init();
    return PyModule_Create(&module);
}
