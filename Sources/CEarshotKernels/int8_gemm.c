// Int8 weight × dynamically quantised activation products (scheme in include/earshot_kernels.h).
// Three paths computing the same exact int32 sums and the same float epilogue:
// - AVX-512 VNNI: vpdpbusd on (p + 128) as unsigned bytes and q as signed bytes, 16 rows per register,
//   minus 128 · row_sum afterwards;
// - AVX2: vpmaddubsw on |q| and sign(p, q), then vpmaddwd with ones (|q|, |p| <= 127, so the 16-bit pair
//   sums never saturate: 2 · 127 · 127 = 32258);
// - scalar: plain loops, the reference and the fallback for CPUs without AVX2.
#include "earshot_kernels.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define EK_X86 1
#include <immintrin.h>
#else
#define EK_X86 0 /* other architectures (e.g. arm64) build the scalar path only */
#endif

// MARK: - Quantisation

/// round(v) to the nearest integer, ties to even, for |v| <= 2^22: adding 1.5 · 2^23 leaves the rounded
/// value in the low mantissa bits (the same trick as EarshotNN's Activations.exp), and vectorises.
static inline float round_even(float v) {
    const float shift = 12582912.0f;
    return (v + shift) - shift;
}

static inline int32_t clamp127(float v) {
    if (v > 127.0f) v = 127.0f;
    if (v < -127.0f) v = -127.0f;
    return (int32_t)v;
}

void ek_quantize_pack_weights(
    const float *w, int n, int k, int ldw, int8_t *packed, float *scale, int32_t *row_sum) {
    const int kp = ek_padded_columns(k), groups = kp / 4;
    memset(packed, 0, (size_t)ek_padded_rows(n) * (size_t)kp);
    for (int r = 0; r < n; r++) {
        const float *row = w + (size_t)r * (size_t)ldw;
        float amax = 0;
        for (int j = 0; j < k; j++) amax = fmaxf(amax, fabsf(row[j]));
        const float inverse = amax > 0 ? 127.0f / amax : 0;
        int8_t *block = packed + (size_t)(r / 16) * (size_t)groups * 64 + (size_t)(r % 16) * 4;
        int32_t sum = 0;
        for (int j = 0; j < k; j++) {
            const int32_t q = clamp127(round_even(row[j] * inverse));
            block[(size_t)(j / 4) * 64 + (size_t)(j % 4)] = (int8_t)q;
            sum += q;
        }
        scale[r] = amax / 127.0f;
        row_sum[r] = sum;
    }
    for (int r = n; r < ek_padded_rows(n); r++) {
        scale[r] = 0;
        row_sum[r] = 0;
    }
}

void ek_quantize_activations(const float *x, int m, int k, int ldx, uint8_t *xq, int ldq, float *scale) {
    const int kp = ek_padded_columns(k);
    for (int i = 0; i < m; i++) {
        const float *row = x + (size_t)i * (size_t)ldx;
        uint8_t *out = xq + (size_t)i * (size_t)ldq;
        float amax = 0;
        for (int j = 0; j < k; j++) amax = fmaxf(amax, fabsf(row[j]));
        const float inverse = amax > 0 ? 127.0f / amax : 0;
        for (int j = 0; j < k; j++) out[j] = (uint8_t)(clamp127(round_even(row[j] * inverse)) + 128);
        for (int j = k; j < kp; j++) out[j] = 128;
        scale[i] = amax / 127.0f;
    }
}

// MARK: - Scalar path

static void gemm_scalar(
    int m, int n, int kp, const uint8_t *xq, int ldq, const float *x_scale, const int8_t *packed,
    const float *w_scale, float *y, int ldy, int accumulate) {
    const int groups = kp / 4;
    for (int i = 0; i < m; i++) {
        const uint8_t *x = xq + (size_t)i * (size_t)ldq;
        for (int r = 0; r < n; r++) {
            const int8_t *block = packed + (size_t)(r / 16) * (size_t)groups * 64 + (size_t)(r % 16) * 4;
            int32_t sum = 0;
            for (int j = 0; j < kp; j++) sum += ((int32_t)x[j] - 128) * (int32_t)block[(size_t)(j / 4) * 64 + j % 4];
            const float s = x_scale[i] * w_scale[r];
            const float d = (float)sum * s;
            float *out = y + (size_t)i * (size_t)ldy + r;
            *out = accumulate ? *out + d : d;
        }
    }
}

#if EK_X86
// MARK: - AVX-512 VNNI path

#define VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline)) static inline

/// One tile: rows i0..i0+MR-1 of X against blocks b0..b0+NB-1 (16 weight rows each).
VNNI_TARGET void tile_vnni(
    const int MR, const int NB, int i0, int b0, int n, int groups, const uint8_t *xq, int ldq,
    const float *x_scale, const int8_t *packed, const float *w_scale, const int32_t *row_sum, float *y, int ldy,
    int accumulate) {
    __m512i acc[4][4];
    for (int r = 0; r < MR; r++)
        for (int j = 0; j < NB; j++) acc[r][j] = _mm512_setzero_si512();
    const int8_t *wb = packed + (size_t)b0 * (size_t)groups * 64;
    for (int g = 0; g < groups; g++) {
        __m512i wv[4];
        for (int j = 0; j < NB; j++) wv[j] = _mm512_loadu_si512(wb + ((size_t)j * (size_t)groups + (size_t)g) * 64);
        for (int r = 0; r < MR; r++) {
            int32_t quad;
            memcpy(&quad, xq + (size_t)(i0 + r) * (size_t)ldq + (size_t)g * 4, 4);
            const __m512i xb = _mm512_set1_epi32(quad);
            for (int j = 0; j < NB; j++) acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], xb, wv[j]);
        }
    }
    for (int j = 0; j < NB; j++) {
        const int n0 = (b0 + j) * 16;
        const int columns = n - n0 < 16 ? n - n0 : 16;
        const __mmask16 mask = (__mmask16)((1u << columns) - 1u);
        const __m512i offset = _mm512_slli_epi32(_mm512_maskz_loadu_epi32(mask, row_sum + n0), 7);
        const __m512 ws = _mm512_maskz_loadu_ps(mask, w_scale + n0);
        for (int r = 0; r < MR; r++) {
            const __m512 sum = _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][j], offset));
            const __m512 s = _mm512_mul_ps(_mm512_set1_ps(x_scale[i0 + r]), ws);
            __m512 d = _mm512_mul_ps(sum, s);
            float *out = y + (size_t)(i0 + r) * (size_t)ldy + n0;
            if (accumulate) d = _mm512_add_ps(_mm512_maskz_loadu_ps(mask, out), d);
            _mm512_mask_storeu_ps(out, mask, d);
        }
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) static void gemm_vnni(
    int m, int n, int kp, const uint8_t *xq, int ldq, const float *x_scale, const int8_t *packed,
    const float *w_scale, const int32_t *row_sum, float *y, int ldy, int accumulate) {
    const int groups = kp / 4, blocks = (n + 15) / 16;
#define EK_VNNI(MR, NB) \
    tile_vnni(MR, NB, i0, b0, n, groups, xq, ldq, x_scale, packed, w_scale, row_sum, y, ldy, accumulate)
    for (int i0 = 0; i0 < m; i0 += 4) {
        const int mr = m - i0 < 4 ? m - i0 : 4;
        for (int b0 = 0; b0 < blocks; b0 += 4) {
            const int nb = blocks - b0 < 4 ? blocks - b0 : 4;
            switch (mr * 4 + nb) {
            case 5: EK_VNNI(1, 1); break;
            case 6: EK_VNNI(1, 2); break;
            case 7: EK_VNNI(1, 3); break;
            case 8: EK_VNNI(1, 4); break;
            case 9: EK_VNNI(2, 1); break;
            case 10: EK_VNNI(2, 2); break;
            case 11: EK_VNNI(2, 3); break;
            case 12: EK_VNNI(2, 4); break;
            case 13: EK_VNNI(3, 1); break;
            case 14: EK_VNNI(3, 2); break;
            case 15: EK_VNNI(3, 3); break;
            case 16: EK_VNNI(3, 4); break;
            case 17: EK_VNNI(4, 1); break;
            case 18: EK_VNNI(4, 2); break;
            case 19: EK_VNNI(4, 3); break;
            default: EK_VNNI(4, 4); break;
            }
        }
    }
#undef EK_VNNI
}

// MARK: - AVX2 path

#define AVX2_TARGET __attribute__((target("avx2"), always_inline)) static inline

/// One tile: rows i0..i0+MR-1 of X against block b (16 weight rows, two registers of 8).
AVX2_TARGET void tile_avx2(
    const int MR, int i0, int b, int n, int groups, const uint8_t *xq, int ldq, const float *x_scale,
    const int8_t *packed, const float *w_scale, float *y, int ldy, int accumulate) {
    __m256i acc[4][2];
    for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
    const __m256i ones = _mm256_set1_epi16(1);
    const __m256i flip = _mm256_set1_epi8((char)0x80);
    const int8_t *wb = packed + (size_t)b * (size_t)groups * 64;
    for (int g = 0; g < groups; g++) {
        const __m256i w0 = _mm256_loadu_si256((const __m256i *)(wb + (size_t)g * 64));
        const __m256i w1 = _mm256_loadu_si256((const __m256i *)(wb + (size_t)g * 64 + 32));
        const __m256i a0 = _mm256_abs_epi8(w0), a1 = _mm256_abs_epi8(w1);
        for (int r = 0; r < MR; r++) {
            int32_t quad;
            memcpy(&quad, xq + (size_t)(i0 + r) * (size_t)ldq + (size_t)g * 4, 4);
            const __m256i p = _mm256_xor_si256(_mm256_set1_epi32(quad), flip);  // p + 128 → p as signed bytes
            const __m256i s0 = _mm256_sign_epi8(p, w0), s1 = _mm256_sign_epi8(p, w1);
            acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(_mm256_maddubs_epi16(a0, s0), ones));
            acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(_mm256_maddubs_epi16(a1, s1), ones));
        }
    }
    const int n0 = b * 16;
    const int columns = n - n0 < 16 ? n - n0 : 16;
    const __m256 ws0 = _mm256_loadu_ps(w_scale + n0), ws1 = _mm256_loadu_ps(w_scale + n0 + 8);
    for (int r = 0; r < MR; r++) {
        const __m256 xs = _mm256_set1_ps(x_scale[i0 + r]);
        float d[16];
        _mm256_storeu_ps(d, _mm256_mul_ps(_mm256_cvtepi32_ps(acc[r][0]), _mm256_mul_ps(xs, ws0)));
        _mm256_storeu_ps(d + 8, _mm256_mul_ps(_mm256_cvtepi32_ps(acc[r][1]), _mm256_mul_ps(xs, ws1)));
        float *out = y + (size_t)(i0 + r) * (size_t)ldy + n0;
        for (int j = 0; j < columns; j++) out[j] = accumulate ? out[j] + d[j] : d[j];
    }
}

__attribute__((target("avx2"))) static void gemm_avx2(
    int m, int n, int kp, const uint8_t *xq, int ldq, const float *x_scale, const int8_t *packed,
    const float *w_scale, float *y, int ldy, int accumulate) {
    const int groups = kp / 4, blocks = (n + 15) / 16;
    for (int i0 = 0; i0 < m; i0 += 4) {
        const int mr = m - i0 < 4 ? m - i0 : 4;
        for (int b = 0; b < blocks; b++) {
            switch (mr) {
            case 1: tile_avx2(1, i0, b, n, groups, xq, ldq, x_scale, packed, w_scale, y, ldy, accumulate); break;
            case 2: tile_avx2(2, i0, b, n, groups, xq, ldq, x_scale, packed, w_scale, y, ldy, accumulate); break;
            case 3: tile_avx2(3, i0, b, n, groups, xq, ldq, x_scale, packed, w_scale, y, ldy, accumulate); break;
            default: tile_avx2(4, i0, b, n, groups, xq, ldq, x_scale, packed, w_scale, y, ldy, accumulate); break;
            }
        }
    }
}

#endif  // EK_X86

// MARK: - Dispatch

void ek_gemm_u8s8(
    int m, int n, int kp, const uint8_t *xq, int ldq, const float *x_scale,
    const int8_t *packed, const float *w_scale, const int32_t *row_sum,
    float *y, int ldy, int accumulate, ek_path path) {
    if (m <= 0 || n <= 0) return;
#if EK_X86
    switch (path) {
    case EK_PATH_AVX512_VNNI:
        gemm_vnni(m, n, kp, xq, ldq, x_scale, packed, w_scale, row_sum, y, ldy, accumulate);
        return;
    case EK_PATH_AVX2: gemm_avx2(m, n, kp, xq, ldq, x_scale, packed, w_scale, y, ldy, accumulate); return;
    default: break;
    }
#else
    (void)path;
    (void)row_sum;
#endif
    gemm_scalar(m, n, kp, xq, ldq, x_scale, packed, w_scale, y, ldy, accumulate);
}

int ek_path_supported(ek_path path) {
#if !EK_X86
    return path == EK_PATH_SCALAR;
#else
    __builtin_cpu_init();
    switch (path) {
    case EK_PATH_AVX512_VNNI:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
    case EK_PATH_AVX2: return __builtin_cpu_supports("avx2");
    case EK_PATH_SCALAR: return 1;
    }
    return 0;
#endif
}
