#ifndef IMAT_MIXTURE_KERNELS_H
#define IMAT_MIXTURE_KERNELS_H

/// The two products of one EM step of a mixing distribution on a grid (DixonFatFraction.mixingWeights), over a
/// grid-major likelihood L (all cells at the first grid point, then the second, ...).
/// Built for AVX-512, AVX2 and baseline x86-64, chosen at load time; every build does the same operations in the
/// same order (element-wise sums, eight fixed accumulator lanes, no fused multiply-add), so the results are
/// identical on every machine.

/// norms[c] = sum over j of prior[j] * L[j * cells + c], j in grid order, skipping prior[j] == 0.
void imat_mixture_norms(const double *likelihood, long cells, long grid, const double *prior, double *norms);

/// sum over c of a[c] * b[c] in eight lanes (c mod 8), the lanes then added in order, then the tail.
double imat_mixture_dot(const double *a, const double *b, long count);

#endif
