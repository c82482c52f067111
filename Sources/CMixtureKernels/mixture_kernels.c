#include "mixture_kernels.h"

// A fused multiply-add rounds once where a multiply and an add round twice: contracting would make the result
// depend on the machine.
#pragma clang fp contract(off)

// Clones are chosen through ELF's ifunc; elsewhere the baseline build serves.
#if defined(__x86_64__) && defined(__clang__) && defined(__ELF__)
#define IMAT_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define IMAT_CLONES
#endif

IMAT_CLONES
void imat_mixture_norms(const double *likelihood, long cells, long grid, const double *prior, double *norms) {
    for (long c = 0; c < cells; c++) norms[c] = 0;
    for (long j = 0; j < grid; j++) {
        const double p = prior[j];
        if (p == 0) continue;
        const double *column = likelihood + j * cells;
        for (long c = 0; c < cells; c++) norms[c] += p * column[c];
    }
}

IMAT_CLONES
double imat_mixture_dot(const double *a, const double *b, long count) {
    double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        for (int k = 0; k < 8; k++) lanes[k] += a[i + k] * b[i + k];
    }
    double sum = 0;
    for (int k = 0; k < 8; k++) sum += lanes[k];
    for (; i < count; i++) sum += a[i] * b[i];
    return sum;
}
