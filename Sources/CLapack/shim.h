// OpenBLAS provides BLAS and LAPACK; LAPACKE is the C interface to the latter.
#include <cblas.h>
#include <lapacke.h>
