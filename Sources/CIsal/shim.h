#include <isa-l/igzip_lib.h>

// ISA-L's level-buffer sizes are macro expressions, which Swift does not import.
static const uint32_t imat_isal_level_buffer_sizes[4] = {
    0, ISAL_DEF_LVL1_DEFAULT, ISAL_DEF_LVL2_DEFAULT, ISAL_DEF_LVL3_DEFAULT
};

// ISA-L's AVX2/AVX-512 kernels can return with the upper halves of the vector registers still in use;
// every later SSE instruction on that thread then pays a transition penalty (exp() ran 2x slower in the
// analysis after an inflate). vzeroupper clears that state; it exists wherever AVX does.
static inline void imat_clear_upper_vector_state(void) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx")) __asm__ volatile("vzeroupper" ::: "memory");
#endif
}

static inline int imat_isal_inflate(struct inflate_state *state) {
    int status = isal_inflate(state);
    imat_clear_upper_vector_state();
    return status;
}

static inline int imat_isal_deflate(struct isal_zstream *stream) {
    int status = isal_deflate(stream);
    imat_clear_upper_vector_state();
    return status;
}
