// The .nii.gz floors: inflate and deflate of the same file by zlib, libdeflate and ISA-L (igzip), whole
// buffers in memory, best of 5 (3 for deflate), so that IMATKit's choice and its level rest on measurement.
// Usage: compression FILE.nii.gz   (built and run by Benchmarks/compression.sh)
#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 2) return fprintf(stderr, "usage: compression FILE.nii.gz\n"), 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f) return perror(argv[1]), 1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *in = malloc(n);
    if (fread(in, 1, n, f) != (size_t)n) return fprintf(stderr, "%s: short read\n", argv[1]), 1;
    fclose(f);
    // One member of under 4 GiB: the trailer's ISIZE is the inflated size.
    unsigned size = in[n - 4] | in[n - 3] << 8 | in[n - 2] << 16 | (unsigned)in[n - 1] << 24;
    unsigned char *raw = malloc(size), *packed = malloc(size + size / 8 + 65536);
    size_t room = size + size / 8 + 65536;
    double best;

    printf("| %s, %u bytes inflated | time | size |\n|---|---|---|\n", argv[1], size);
    best = 1e9;
    for (int r = 0; r < 5; r++) {
        double t = now();
        z_stream s;
        memset(&s, 0, sizeof s);
        inflateInit2(&s, 15 + 32);
        s.next_in = in, s.avail_in = n, s.next_out = raw, s.avail_out = size;
        if (inflate(&s, Z_FINISH) != Z_STREAM_END) return fprintf(stderr, "zlib inflate failed\n"), 1;
        inflateEnd(&s);
        if ((t = now() - t) < best) best = t;
    }
    printf("| inflate, zlib %s | %.1f ms | |\n", zlibVersion(), best * 1e3);
    best = 1e9;
    for (int r = 0; r < 5; r++) {
        double t = now();
        struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
        size_t got;
        if (libdeflate_gzip_decompress(d, in, n, raw, size, &got) != LIBDEFLATE_SUCCESS) return fprintf(stderr, "libdeflate failed\n"), 1;
        libdeflate_free_decompressor(d);
        if ((t = now() - t) < best) best = t;
    }
    printf("| inflate, libdeflate %s | %.1f ms | |\n", LIBDEFLATE_VERSION_STRING, best * 1e3);
    best = 1e9;
    for (int r = 0; r < 5; r++) {
        double t = now();
        struct inflate_state st;
        isal_inflate_init(&st);
        st.crc_flag = ISAL_GZIP;
        st.next_in = in, st.avail_in = n, st.next_out = raw, st.avail_out = size;
        if (isal_inflate(&st) != ISAL_DECOMP_OK || st.block_state != ISAL_BLOCK_FINISH) return fprintf(stderr, "igzip inflate failed\n"), 1;
        if ((t = now() - t) < best) best = t;
    }
    printf("| inflate, ISA-L igzip | %.1f ms | |\n", best * 1e3);

    for (int level = 1; level <= 6; level += 5) {
        size_t out = 0;
        best = 1e9;
        for (int r = 0; r < 3; r++) {
            double t = now();
            z_stream s;
            memset(&s, 0, sizeof s);
            deflateInit2(&s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
            s.next_in = raw, s.avail_in = size, s.next_out = packed, s.avail_out = room;
            deflate(&s, Z_FINISH);
            out = s.total_out;
            deflateEnd(&s);
            if ((t = now() - t) < best) best = t;
        }
        printf("| deflate, zlib level %d | %.1f ms | %zu |\n", level, best * 1e3, out);
    }
    for (int level = 1; level <= 6; level += 5) {
        size_t out = 0;
        best = 1e9;
        for (int r = 0; r < 3; r++) {
            double t = now();
            struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
            out = libdeflate_gzip_compress(c, raw, size, packed, room);
            libdeflate_free_compressor(c);
            if ((t = now() - t) < best) best = t;
        }
        printf("| deflate, libdeflate level %d | %.1f ms | %zu |\n", level, best * 1e3, out);
    }
    static const unsigned buffers[4] = {0, ISAL_DEF_LVL1_DEFAULT, ISAL_DEF_LVL2_DEFAULT, ISAL_DEF_LVL3_DEFAULT};
    for (int level = 0; level <= 3; level++) {
        size_t out = 0;
        best = 1e9;
        unsigned char *levelBuffer = malloc(buffers[level] + 1);
        for (int r = 0; r < 3; r++) {
            double t = now();
            struct isal_zstream s;
            isal_deflate_init(&s);
            s.gzip_flag = IGZIP_GZIP, s.level = level, s.level_buf = levelBuffer, s.level_buf_size = buffers[level];
            s.end_of_stream = 1, s.flush = NO_FLUSH;
            s.next_in = raw, s.avail_in = size, s.next_out = packed, s.avail_out = room;
            if (isal_deflate(&s) != COMP_OK || s.internal_state.state != ZSTATE_END) return fprintf(stderr, "igzip deflate failed\n"), 1;
            out = s.total_out;
            if ((t = now() - t) < best) best = t;
        }
        free(levelBuffer);
        printf("| deflate, ISA-L igzip level %d | %.1f ms | %zu |\n", level, best * 1e3, out);
    }
    return 0;
}
