// Int8 matrix kernels for Earshot's low-precision inference. Imported only by EarshotNN (Int8Matrix),
// which holds the Swift API; nothing here is public Swift API.
//
// The scheme (documented in full on EarshotNN's Int8Matrix):
//   weights W (N, K): per row n a scale s_n = max_k |W[n][k]| / 127 and q_nk = round(W[n][k] / s_n) in [-127, 127];
//   activations X (M, K), per row m and per call ("dynamic"): t_m = max_k |X[m][k]| / 127 and
//   p_mk = round(X[m][k] / t_m) in [-127, 127], stored as the unsigned byte p_mk + 128;
//   Y[m][n] (+)= (float)(sum_k p_mk q_nk) * (t_m * s_n), the sum exact in int32.
// Every path (AVX-512 VNNI, AVX2, scalar) computes the same exact integer sums and the same float
// operations in the same order, so all paths give bit-identical results.
#ifndef EARSHOT_KERNELS_H
#define EARSHOT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Rows per packed block and columns per packed group.
#define EK_BLOCK_ROWS 16
#define EK_GROUP_COLUMNS 4

/// The instruction paths of ek_gemm_u8s8.
typedef enum {
    EK_PATH_SCALAR = 0,
    EK_PATH_AVX2 = 1,
    EK_PATH_AVX512_VNNI = 2,
} ek_path;

/// Columns after padding K to a multiple of 4.
static inline int ek_padded_columns(int k) { return (k + 3) / 4 * 4; }
/// Rows after padding N to a multiple of 16.
static inline int ek_padded_rows(int n) { return (n + 15) / 16 * 16; }

/// Quantises W (n, k) row-major (rows `ldw` floats apart) and packs it: `packed` holds
/// ek_padded_rows(n) * ek_padded_columns(k) bytes, block b (rows 16b..16b+15) and column group g
/// (columns 4g..4g+3) at byte ((b * Kp/4) + g) * 64, row r of the block at offset 4r; padding is 0.
/// Writes `scale` (s_n) and `row_sum` (sum_k q_nk), ek_padded_rows(n) entries each (0 in the padding:
/// the kernels read whole blocks).
void ek_quantize_pack_weights(
    const float *w, int n, int k, int ldw, int8_t *packed, float *scale, int32_t *row_sum);

/// Quantises X (m, k) (rows `ldx` floats apart) per row: `xq` rows of ek_padded_columns(k) bytes,
/// `ldq` apart, p + 128 (padding 128, i.e. p = 0); `scale[m]` = t_m (0 for an all-zero row).
void ek_quantize_activations(const float *x, int m, int k, int ldx, uint8_t *xq, int ldq, float *scale);

/// Y (m, n), rows `ldy` floats apart: Y = D (accumulate == 0) or Y += D (accumulate != 0), with
/// D[i][j] = (float)(sum_k p_ik q_jk) * (x_scale[i] * w_scale[j]) as in the header comment.
/// `kp` = ek_padded_columns(K); `packed`, `w_scale`, `row_sum` as ek_quantize_pack_weights writes them. `path` must be one the CPU runs (ek_path_supported).
void ek_gemm_u8s8(
    int m, int n, int kp, const uint8_t *xq, int ldq, const float *x_scale,
    const int8_t *packed, const float *w_scale, const int32_t *row_sum,
    float *y, int ldy, int accumulate, ek_path path);

/// Whether this CPU and OS run `path` (cpuid and the OS's saved register state, via the compiler's
/// __builtin_cpu_supports).
int ek_path_supported(ek_path path);

#endif
