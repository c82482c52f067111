#ifndef IMAT_FLOORS_H
#define IMAT_FLOORS_H

#include <stddef.h>

/* Physical floors for the speed suite: what libpng, igzip and the memory bus need for the same work as
 * IMATKit's readers, with nothing else (no checks beyond the libraries' own, no allocation in the loop).
 * Each returns 0 on success and -1 on failure. */

/* Reads each of `count` PNG files whole into memory and decodes it with libpng's classic API (16-bit samples
 * in host order, as IMATKit asks for) into consecutive slices of `pixels`. */
int floors_png_decode(const char *const *paths, int count, void *pixels, size_t pixels_size);

/* The decompressed size a gzip file states in its trailer (ISIZE, modulo 2^32); 0 if unreadable. */
size_t floors_gzip_size(const char *path);

/* Reads the gzip file `path` whole into memory and inflates it (ISA-L igzip, gzip wrapper) into `out` in one call. */
int floors_inflate_file(const char *path, void *out, size_t out_size);

/* Sum of `count` floats in one streaming pass (eight independent accumulators, so the loop is bound by
 * memory bandwidth, not by the latency of a single floating-point add chain). */
float floors_sum(const float *values, size_t count);

#endif
